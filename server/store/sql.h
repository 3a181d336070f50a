/* sql: the catalogue of every SQL statement paroletrack runs, indexed by an enum. No SQL text
 * is built at run time; values always arrive through named parameters (":name"). */
#ifndef PAROLETRACK_SQL_H
#define PAROLETRACK_SQL_H

/* Every column stored encrypted, for the key check and rekey: X(NAME, table, column). */
#define SEALED_COLUMNS(X)                                                                          \
    X(CLIENT_A_NUMBER, "clients", "a_number")                                                      \
    X(CLIENT_PASSPORT_NUMBER, "clients", "passport_number")                                        \
    X(CLIENT_DATE_OF_BIRTH, "clients", "date_of_birth")                                            \
    X(CLIENT_NOTES, "clients", "notes")                                                            \
    X(REQUEST_SUMMARY, "parole_requests", "summary")                                               \
    X(FILING_NOTES, "filings", "notes")                                                            \
    X(RFE_SUMMARY, "rfes", "summary")                                                              \
    X(INTERVIEW_NOTES, "interviews", "notes")                                                      \
    X(DECISION_NOTES, "decisions", "notes")                                                        \
    X(EXPIRATION_NOTES, "expirations", "notes")                                                    \
    X(EXPIRATION_DOCUMENT_NUMBER, "expirations", "document_number")                                \
    X(FEE_NOTICE_NOTES, "fee_notices", "notes")                                                    \
    X(ENTRY_NOTES, "entries", "notes")                                                             \
    X(USER_TOTP_SECRET, "users", "totp_secret")                                                    \
    X(USER_TOTP_PENDING_SECRET, "users", "totp_pending_secret")

#define SEALED_ENUM(name, table, column) SQL_SEALED_SELECT_##name, SQL_SEALED_UPDATE_##name,

enum sql_id {
    SQL_HEALTH,
    SQL_MIGRATIONS_CREATE,
    SQL_MIGRATIONS_LIST,
    SQL_MIGRATIONS_RECORD,

    SQL_CLIENT_GET,
    SQL_CLIENT_LIST,
    SQL_CLIENT_INSERT,
    SQL_CLIENT_UPDATE,
    SQL_CLIENT_DELETE,
    SQL_CLIENT_DEPENDENTS,
    SQL_CLIENT_EXISTS,

    SQL_REQUEST_GET,
    SQL_REQUEST_LIST,
    SQL_REQUEST_LIST_BY_STAGE,
    SQL_REQUEST_INSERT,
    SQL_REQUEST_UPDATE,
    SQL_REQUEST_DELETE,
    SQL_REQUEST_DEPENDENTS,
    SQL_REQUEST_EXISTS,
    SQL_REQUEST_TIMELINE,

    SQL_FILING_GET,
    SQL_FILING_LIST,
    SQL_FILING_INSERT,
    SQL_FILING_UPDATE,
    SQL_FILING_DELETE,
    SQL_FILING_RECEIPT_OWNER,
    SQL_FILING_EARLIEST,

    SQL_RFE_GET,
    SQL_RFE_LIST,
    SQL_RFE_INSERT,
    SQL_RFE_UPDATE,
    SQL_RFE_DELETE,
    SQL_CLIENT_ADDRESS,
    SQL_ENTRY_GET,
    SQL_ENTRY_LIST,
    SQL_ENTRY_INSERT,
    SQL_ENTRY_UPDATE,
    SQL_ENTRY_DELETE,
    SQL_NEXT_ID_ENTRIES,
    SQL_REQUEST_CLIENT_ID,
    SQL_REQUEST_RENEWAL_CLIENT,
    SQL_FEE_NOTICE_GET,
    SQL_FEE_NOTICE_LIST,
    SQL_FEE_NOTICE_INSERT,
    SQL_FEE_NOTICE_UPDATE,
    SQL_FEE_NOTICE_DELETE,
    SQL_FEE_SCHEDULE_AMOUNT,
    SQL_FEE_SCHEDULE_LIST,

    SQL_INTERVIEW_GET,
    SQL_INTERVIEW_LIST,
    SQL_INTERVIEW_INSERT,
    SQL_INTERVIEW_UPDATE,
    SQL_INTERVIEW_DELETE,

    SQL_DECISION_GET,
    SQL_DECISION_LIST,
    SQL_DECISION_INSERT,
    SQL_DECISION_UPDATE,
    SQL_DECISION_DELETE,
    SQL_DECISION_EARLIEST,

    SQL_EXPIRATION_GET,
    SQL_EXPIRATION_LIST,
    SQL_EXPIRATION_INSERT,
    SQL_EXPIRATION_UPDATE,
    SQL_EXPIRATION_DELETE,

    SQL_NEXT_ID_CLIENTS,
    SQL_NEXT_ID_PAROLE_REQUESTS,
    SQL_NEXT_ID_FILINGS,
    SQL_NEXT_ID_RFES,
    SQL_NEXT_ID_FEE_NOTICES,
    SQL_NEXT_ID_INTERVIEWS,
    SQL_NEXT_ID_DECISIONS,
    SQL_NEXT_ID_EXPIRATIONS,

    SQL_AUDIT_LAST,
    SQL_AUDIT_INSERT,
    SQL_AUDIT_LIST,
    SQL_AUDIT_HISTORY,
    SQL_AUDIT_ALL,
    SQL_AUDIT_HEAD_GET,
    SQL_AUDIT_HEAD_PUT,

    SQL_USER_GET,
    SQL_USER_LIST,
    SQL_USER_INSERT,
    SQL_USER_UPDATE,
    SQL_USER_BY_EMAIL,
    SQL_USER_ROLE,
    SQL_USER_SET_PASSWORD,
    SQL_USER_SET_TOTP_PENDING,
    SQL_USER_ENABLE_TOTP,
    SQL_USER_SET_TOTP_STEP,
    SQL_USER_SECRETS,
    SQL_USER_REHASH,

    SQL_RECOVERY_INSERT,
    SQL_RECOVERY_UNUSED,
    SQL_RECOVERY_USE,
    SQL_RECOVERY_DELETE_ALL,

    SQL_SESSION_INSERT,
    SQL_SESSION_LOOKUP,
    SQL_SESSION_TOUCH,
    SQL_SESSION_DELETE,
    SQL_SESSION_DELETE_USER,
    SQL_SESSION_DELETE_USER_OTHERS,
    SQL_SESSION_LIST_USER,
    SQL_SESSION_DELETE_OF_USER,
    SQL_SESSION_PRUNE,

    SQL_KEY_INSERT,
    SQL_KEY_LIST,
    SQL_KEY_GET,
    SQL_KEY_BY_PREFIX,
    SQL_KEY_TOUCH,
    SQL_KEY_REVOKE,

    SQL_FAILURE_INSERT,
    SQL_FAILURE_TOUCH,
    SQL_FAILURE_BY_PAIR,
    SQL_FAILURE_BY_EMAIL,
    SQL_FAILURE_BY_ADDRESS,
    SQL_FAILURE_PRUNE,
    SQL_FAILURE_CLEAR_PAIR,
    SQL_FAILURE_RELEASE,
    SQL_KEYED_TRACES,
    SQL_KNOWN_ADDRESS_PUT,
    SQL_KNOWN_ADDRESS_COUNT,
    SQL_KNOWN_ADDRESS_PRUNE,
    SQL_LOOKUP_PRUNE,
    SQL_LOOKUP_COUNT,
    SQL_LOOKUP_INSERT,
    SQL_SESSION_SET_FACTOR,

    SQL_RULES_ALL,
    SQL_RULE_GET,
    SQL_RULE_LIST,
    SQL_RULE_UPDATE,
    SQL_PROGRAMS_ALL,
    SQL_PROGRAM_GET,
    SQL_PROGRAM_LIST,
    SQL_PROGRAM_INSERT,
    SQL_PROGRAM_UPDATE,
    SQL_NEXT_ID_PROGRAMS,
    SQL_PROGRAM_RESOLVE,
    SQL_PROGRAM_NAME_TAKEN,
    SQL_PROGRAM_CODES,
    SQL_PROGRAM_UNKNOWN,
    SQL_REQUEST_PROGRAM_KEPT,
    SQL_DEADLINE_REQUESTS,
    SQL_DEADLINE_RFES,
    SQL_DEADLINE_FEE_NOTICES,
    SQL_DEADLINE_RENEWAL_FILINGS,
    SQL_DEADLINE_INTERVIEWS,
    SQL_DEADLINE_DECISIONS,
    SQL_DEADLINE_EXPIRATIONS,
    SQL_DEADLINE_FILINGS,
    SQL_DLEDGER_DELETE_REQUEST,
    SQL_DLEDGER_DELETE_ALL,
    SQL_DLEDGER_INSERT,
    SQL_DLEDGER_ROWS_RANGE,
    SQL_DLEDGER_REQUEST_IDS,
    SQL_DLEDGER_REQUESTS_OF_CLIENT,
    SQL_DLEDGER_REQUESTS_OF_PROGRAM,
    SQL_DLEDGER_FIRM,
    SQL_DLEDGER_FIRM_BY_MET,
    SQL_DLEDGER_FIRM_BY_KIND,
    SQL_DLEDGER_ASSIGNED,
    SQL_DLEDGER_REQUEST,
    SQL_DLEDGER_ENDS,
    SQL_DLEDGER_SCHEMA,
    SQL_FACTS_UNTALLY,
    SQL_FACTS_DELETE_REQUEST,
    SQL_FACTS_REFRESH,
    SQL_FACTS_TALLY,
    SQL_TALLY_PRUNE,
    SQL_TALLY_DELETE_ALL,
    SQL_FACTS_COMPUTE,
    SQL_FACTS_STORED,
    SQL_FACTS_DELETE_ALL,
    SQL_STAGE_DISAGREEMENTS,
    SQL_TALLY_DISAGREEMENTS,
    SQL_DLEDGER_BASIS_GET,
    SQL_DLEDGER_BASIS_PUT,
    SQL_REMIND_DUE,
    SQL_LEDGER_STATUS,
    SQL_LEDGER_RECORD,
    SQL_REMIND_ADMINS,
    SQL_FEED_PUT,
    SQL_FEED_DELETE,
    SQL_FEED_LOOKUP,
    SQL_TALLY_NEXT_FLIP,
    SQL_SETTINGS_ALL,
    SQL_STAGE_COUNTS,
    SQL_AUDIT_LIST_DESC,
    SQL_ACTIVE_ADMIN_COUNT,
    SQL_REQUEST_ASSIGNEE_KEPT,
    SQL_ASSIGNEE_LIST,
    SQL_SETTING_GET,
    SQL_SETTING_DELETE,
    SQL_FOREIGN_KEY_CHECK,
    SQL_CLIENT_SET_INDEXES,
    SEALED_COLUMNS(SEALED_ENUM) SQL_SETTING_PUT,

    SQL__MAX
};

/* The SQL text of a statement (static). */
const char *sql_text(enum sql_id id);

/* A short name of a statement for error messages (static). */
const char *sql_name(enum sql_id id);

#endif
