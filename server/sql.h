/* sql: the catalogue of every SQL statement paroletrack runs, indexed by an enum. No SQL text
 * is built at run time; values always arrive through named parameters (":name"). */
#ifndef PAROLETRACK_SQL_H
#define PAROLETRACK_SQL_H

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

    SQL__MAX
};

/* The SQL text of a statement (static). */
const char *sql_text(enum sql_id id);

/* A short name of a statement for error messages (static). */
const char *sql_name(enum sql_id id);

#endif
