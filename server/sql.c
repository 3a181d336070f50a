/* sql: every statement's text. Column lists are shared by macros so a resource's GET and list
 * return the same shape; string literals are joined at compile time. */
#include "sql.h"

#define CLIENT_COLUMNS                                                                             \
    "id, family_name, given_name, other_names, date_of_birth, country_of_birth, citizenship, "     \
    "a_number, passport_number, passport_country, passport_expires_on, email, phone, address, "    \
    "preferred_language, notes, created_at, updated_at, version"

/* The derived stage of the parole request `p`, for :today (firm-local date) and :now (UTC).
 * The precedence is documented in README.md and docs/api-contract.md. A recorded parole or
 * I-94 date is the parole end; without one, an approval inside the US (parole in place,
 * re-parole) runs until its valid_until, while an approval abroad only authorises travel:
 * parole starts at entry, with the I-94, so it stays `approved` until that date is recorded. */
#define STAGE_EXPRESSION                                                                           \
    "CASE (SELECT d.outcome FROM decisions d WHERE d.parole_request_id = p.id"                     \
    "      ORDER BY d.decided_on DESC, d.id DESC LIMIT 1)"                                         \
    " WHEN 'approved' THEN CASE"                                                                   \
    "   WHEN EXISTS (SELECT 1 FROM expirations e WHERE e.parole_request_id = p.id"                 \
    "                AND e.kind IN ('parole', 'i94') AND e.expires_on >= :today) THEN 'paroled'"   \
    "   WHEN EXISTS (SELECT 1 FROM expirations e WHERE e.parole_request_id = p.id"                 \
    "                AND e.kind IN ('parole', 'i94')) THEN 'expired'"                              \
    "   WHEN p.location IS NOT 'inside_us' THEN 'approved'"                                        \
    "   ELSE CASE WHEN (SELECT d.valid_until FROM decisions d WHERE d.parole_request_id = p.id"    \
    "                   ORDER BY d.decided_on DESC, d.id DESC LIMIT 1) >= :today THEN 'paroled'"   \
    "             WHEN (SELECT d.valid_until FROM decisions d WHERE d.parole_request_id = p.id"    \
    "                   ORDER BY d.decided_on DESC, d.id DESC LIMIT 1) < :today THEN 'expired'"    \
    "             ELSE 'approved' END END"                                                         \
    " WHEN 'denied' THEN 'denied'"                                                                 \
    " WHEN 'withdrawn' THEN 'withdrawn'"                                                           \
    " WHEN 'administratively_closed' THEN 'closed'"                                                \
    " WHEN 'terminated' THEN 'terminated'"                                                         \
    " ELSE CASE"                                                                                   \
    "   WHEN EXISTS (SELECT 1 FROM rfes r WHERE r.parole_request_id = p.id"                        \
    "                AND r.responded_on IS NULL) THEN 'rfe_open'"                                  \
    "   WHEN EXISTS (SELECT 1 FROM interviews i WHERE i.parole_request_id = p.id"                  \
    "                AND i.outcome IN ('scheduled', 'rescheduled')"                                \
    "                AND i.scheduled_at_utc > :now)"                                               \
    "        THEN 'interview_scheduled'"                                                           \
    "   WHEN EXISTS (SELECT 1 FROM filings f WHERE f.parole_request_id = p.id"                     \
    "                AND f.receipt_number IS NOT NULL) THEN 'receipted'"                           \
    "   WHEN EXISTS (SELECT 1 FROM filings f WHERE f.parole_request_id = p.id) THEN 'filed'"       \
    "   ELSE 'draft' END "                                                                         \
    "END"

#define REQUEST_COLUMNS                                                                            \
    "p.id AS id, p.client_id AS client_id, p.parole_type AS parole_type, p.program AS program, "   \
    "p.location AS location, p.summary AS summary, p.sponsor_name AS sponsor_name, "               \
    "p.sponsor_relationship AS sponsor_relationship, p.sponsor_status AS sponsor_status, "         \
    "p.expedite AS expedite, p.created_at AS created_at, p.updated_at AS updated_at, "             \
    "p.version AS version, " STAGE_EXPRESSION " AS stage"

#define FILING_COLUMNS                                                                             \
    "id, parole_request_id, form, filed_on, kind, receipt_number, receipt_notice_on, fee_cents, "  \
    "method, notes, created_at, updated_at, version"
#define RFE_COLUMNS                                                                                \
    "id, parole_request_id, issued_on, kind, response_due_on, mailed, responded_on, summary, "     \
    "created_at, updated_at, version"
#define INTERVIEW_COLUMNS                                                                          \
    "id, parole_request_id, kind, scheduled_at, location, outcome, notes, created_at, "            \
    "updated_at, version"
#define DECISION_COLUMNS                                                                           \
    "id, parole_request_id, decided_on, outcome, valid_from, valid_until, mailed, notes, "         \
    "created_at, updated_at, version"
#define EXPIRATION_COLUMNS                                                                         \
    "id, parole_request_id, kind, expires_on, document_number, notes, created_at, updated_at, "    \
    "version"

/* The five statements every child resource of a parole request has. */
#define CHILD_GET(table, columns)                                                                  \
    "SELECT " columns " FROM " table " WHERE id = :id AND parole_request_id = :parent_id"
#define CHILD_LIST(table, columns)                                                                 \
    "SELECT " columns " FROM " table " WHERE parole_request_id = :parent_id AND id > :after"       \
    " ORDER BY id LIMIT :limit"
#define CHILD_DELETE(table)                                                                        \
    "DELETE FROM " table " WHERE id = :id AND parole_request_id = :parent_id"

struct sql_entry {
    const char *name;
    const char *text;
};

static const struct sql_entry catalogue[SQL__MAX] = {
    [SQL_HEALTH] = {"health", "SELECT count(*) FROM schema_migrations"},
    [SQL_MIGRATIONS_CREATE] = {"migrations_create",
                               "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                               " checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"},
    [SQL_MIGRATIONS_LIST] = {"migrations_list", "SELECT number, name, checksum FROM "
                                                "schema_migrations ORDER BY number"},
    [SQL_MIGRATIONS_RECORD] = {"migrations_record",
                               "INSERT INTO schema_migrations (number, name, checksum, applied_at)"
                               " VALUES (:number, :name, :checksum, :applied_at)"},

    [SQL_CLIENT_GET] = {"client_get", "SELECT " CLIENT_COLUMNS " FROM clients WHERE id = :id"},
    [SQL_CLIENT_LIST] = {"client_list", "SELECT " CLIENT_COLUMNS " FROM clients WHERE id > :after"
                                        " AND (:q IS NULL OR search_match(search_key, :q))"
                                        " ORDER BY id LIMIT :limit"},
    [SQL_CLIENT_INSERT] =
        {"client_insert",
         "INSERT INTO clients (family_name, given_name, other_names, date_of_birth,"
         " country_of_birth, citizenship, a_number, passport_number, passport_country,"
         " passport_expires_on, email, phone, address, preferred_language, notes, search_key,"
         " created_at, updated_at, version)"
         " VALUES (:family_name, :given_name, :other_names, :date_of_birth, :country_of_birth,"
         " :citizenship, :a_number, :passport_number, :passport_country, :passport_expires_on,"
         " :email, :phone, :address, :preferred_language, :notes, :search_key, :now, :now, 1)"},
    [SQL_CLIENT_UPDATE] =
        {"client_update",
         "UPDATE clients SET family_name = :family_name, given_name = :given_name,"
         " other_names = :other_names, date_of_birth = :date_of_birth,"
         " country_of_birth = :country_of_birth, citizenship = :citizenship,"
         " a_number = :a_number, passport_number = :passport_number,"
         " passport_country = :passport_country, passport_expires_on = :passport_expires_on,"
         " email = :email, phone = :phone, address = :address,"
         " preferred_language = :preferred_language, notes = :notes, search_key = :search_key,"
         " updated_at = :now, version = version + 1 WHERE id = :id AND version = :version"},
    [SQL_CLIENT_DELETE] = {"client_delete", "DELETE FROM clients WHERE id = :id"},
    [SQL_CLIENT_DEPENDENTS] = {"client_dependents",
                               "SELECT count(*) FROM parole_requests WHERE client_id = :id"},

    [SQL_CLIENT_EXISTS] = {"client_exists", "SELECT 1 FROM clients WHERE id = :id"},
    [SQL_REQUEST_EXISTS] = {"request_exists", "SELECT 1 FROM parole_requests WHERE id = :id"},

    [SQL_REQUEST_GET] = {"request_get",
                         "SELECT " REQUEST_COLUMNS " FROM parole_requests p WHERE p.id = :id"},
    [SQL_REQUEST_LIST] =
        {"request_list",
         "SELECT * FROM (SELECT " REQUEST_COLUMNS " FROM parole_requests p WHERE p.id > :after"
         " AND (:client_id IS NULL OR p.client_id = :client_id)"
         " AND (:parole_type IS NULL OR p.parole_type = :parole_type)"
         " AND (:program IS NULL OR p.program = :program)"
         " AND (:q IS NULL OR search_match(p.search_key || char(31) || (SELECT c.search_key"
         " FROM clients c WHERE c.id = p.client_id), :q)))"
         " WHERE (:stage IS NULL OR stage = :stage) ORDER BY id LIMIT :limit"},
    [SQL_REQUEST_INSERT] =
        {"request_insert",
         "INSERT INTO parole_requests (client_id, parole_type, program, location, summary,"
         " sponsor_name, sponsor_relationship, sponsor_status, expedite, search_key, created_at,"
         " updated_at, version) VALUES (:client_id, :parole_type, :program, :location, :summary,"
         " :sponsor_name, :sponsor_relationship, :sponsor_status, :expedite, :search_key, :now,"
         " :now, 1)"},
    [SQL_REQUEST_UPDATE] =
        {"request_update",
         "UPDATE parole_requests SET client_id = :client_id, parole_type = :parole_type,"
         " program = :program, location = :location, summary = :summary,"
         " sponsor_name = :sponsor_name, sponsor_relationship = :sponsor_relationship,"
         " sponsor_status = :sponsor_status, expedite = :expedite, search_key = :search_key,"
         " updated_at = :now, version = version + 1 WHERE id = :id AND version = :version"},
    [SQL_REQUEST_DELETE] = {"request_delete", "DELETE FROM parole_requests WHERE id = :id"},
    [SQL_REQUEST_DEPENDENTS] =
        {"request_dependents",
         "SELECT (SELECT count(*) FROM filings WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM rfes WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM interviews WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM decisions WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM expirations WHERE parole_request_id = :id)"},
    [SQL_REQUEST_TIMELINE] =
        {"request_timeline",
         "SELECT type, date, at, resource, resource_id, title FROM ("
         " SELECT 'filing' AS type, filed_on AS date, NULL AS at, NULL AS sort_at,"
         "  'filings' AS resource, id AS resource_id, form || ' filed' AS title, 1 AS ord"
         "  FROM filings WHERE parole_request_id = :id"
         " UNION ALL SELECT 'receipt_notice', receipt_notice_on, NULL, NULL, 'filings', id,"
         "  form || ' receipt notice' || COALESCE(' ' || receipt_number, ''), 2"
         "  FROM filings WHERE parole_request_id = :id AND receipt_notice_on IS NOT NULL"
         " UNION ALL SELECT 'rfe_issued', issued_on, NULL, NULL, 'rfes', id,"
         "  upper(kind) || ' issued', 3 FROM rfes WHERE parole_request_id = :id"
         " UNION ALL SELECT 'rfe_response_due', response_due_on, NULL, NULL, 'rfes', id,"
         "  upper(kind) || ' response due', 4"
         "  FROM rfes WHERE parole_request_id = :id AND response_due_on IS NOT NULL"
         " UNION ALL SELECT 'rfe_responded', responded_on, NULL, NULL, 'rfes', id,"
         "  upper(kind) || ' response sent', 5"
         "  FROM rfes WHERE parole_request_id = :id AND responded_on IS NOT NULL"
         " UNION ALL SELECT kind, date(scheduled_at_utc, 'localtime'), scheduled_at,"
         "  scheduled_at_utc, 'interviews', id,"
         "  (CASE kind WHEN 'biometrics' THEN 'Biometrics appointment' ELSE 'Interview' END)"
         "  || ' (' || outcome || ')', 6 FROM interviews WHERE parole_request_id = :id"
         " UNION ALL SELECT 'decision', decided_on, NULL, NULL, 'decisions', id,"
         "  'Decision: ' || replace(outcome, '_', ' '), 7"
         "  FROM decisions WHERE parole_request_id = :id"
         " UNION ALL SELECT 'expiration', expires_on, NULL, NULL, 'expirations', id,"
         "  replace(kind, '_', ' ') || ' expires', 8"
         "  FROM expirations WHERE parole_request_id = :id"
         ") ORDER BY date, sort_at, ord, resource_id"},

    [SQL_FILING_GET] = {"filing_get", CHILD_GET("filings", FILING_COLUMNS)},
    [SQL_FILING_LIST] = {"filing_list", CHILD_LIST("filings", FILING_COLUMNS)},
    [SQL_FILING_INSERT] =
        {"filing_insert",
         "INSERT INTO filings (parole_request_id, form, filed_on, kind, receipt_number,"
         " receipt_notice_on, fee_cents, method, notes, created_at, updated_at, version)"
         " VALUES (:parent_id, :form, :filed_on, :kind, :receipt_number, :receipt_notice_on,"
         " :fee_cents, :method, :notes, :now, :now, 1)"},
    [SQL_FILING_UPDATE] =
        {"filing_update",
         "UPDATE filings SET form = :form, filed_on = :filed_on, kind = :kind,"
         " receipt_number = :receipt_number, receipt_notice_on = :receipt_notice_on,"
         " fee_cents = :fee_cents, method = :method, notes = :notes, updated_at = :now,"
         " version = version + 1"
         " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_FILING_DELETE] = {"filing_delete", CHILD_DELETE("filings")},
    [SQL_FILING_RECEIPT_OWNER] = {"filing_receipt_owner",
                                  "SELECT id FROM filings WHERE receipt_number = :receipt_number"
                                  " AND id != :id"},
    [SQL_FILING_EARLIEST] = {"filing_earliest",
                             "SELECT min(filed_on) FROM filings WHERE parole_request_id ="
                             " :parent_id AND id != :id"},

    [SQL_RFE_GET] = {"rfe_get", CHILD_GET("rfes", RFE_COLUMNS)},
    [SQL_RFE_LIST] = {"rfe_list", CHILD_LIST("rfes", RFE_COLUMNS)},
    [SQL_RFE_INSERT] = {"rfe_insert",
                        "INSERT INTO rfes (parole_request_id, issued_on, kind, response_due_on,"
                        " mailed, responded_on, summary, created_at, updated_at, version)"
                        " VALUES (:parent_id, :issued_on, :kind, :response_due_on, :mailed,"
                        " :responded_on, :summary, :now, :now, 1)"},
    [SQL_RFE_UPDATE] =
        {"rfe_update", "UPDATE rfes SET issued_on = :issued_on, kind = :kind,"
                       " response_due_on = :response_due_on, mailed = :mailed,"
                       " responded_on = :responded_on, summary = :summary, updated_at = :now,"
                       " version = version + 1"
                       " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_RFE_DELETE] = {"rfe_delete", CHILD_DELETE("rfes")},

    [SQL_INTERVIEW_GET] = {"interview_get", CHILD_GET("interviews", INTERVIEW_COLUMNS)},
    [SQL_INTERVIEW_LIST] = {"interview_list", CHILD_LIST("interviews", INTERVIEW_COLUMNS)},
    [SQL_INTERVIEW_INSERT] =
        {"interview_insert",
         "INSERT INTO interviews (parole_request_id, kind, scheduled_at, scheduled_at_utc,"
         " location, outcome, notes, created_at, updated_at, version)"
         " VALUES (:parent_id, :kind, :scheduled_at, :scheduled_at_utc, :location, :outcome,"
         " :notes, :now, :now, 1)"},
    [SQL_INTERVIEW_UPDATE] =
        {"interview_update",
         "UPDATE interviews SET kind = :kind, scheduled_at = :scheduled_at,"
         " scheduled_at_utc = :scheduled_at_utc, location = :location, outcome = :outcome,"
         " notes = :notes, updated_at = :now, version = version + 1"
         " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_INTERVIEW_DELETE] = {"interview_delete", CHILD_DELETE("interviews")},

    [SQL_DECISION_GET] = {"decision_get", CHILD_GET("decisions", DECISION_COLUMNS)},
    [SQL_DECISION_LIST] = {"decision_list", CHILD_LIST("decisions", DECISION_COLUMNS)},
    [SQL_DECISION_INSERT] =
        {"decision_insert",
         "INSERT INTO decisions (parole_request_id, decided_on, outcome, valid_from,"
         " valid_until, mailed, notes, created_at, updated_at, version)"
         " VALUES (:parent_id, :decided_on, :outcome, :valid_from, :valid_until, :mailed,"
         " :notes, :now, :now, 1)"},
    [SQL_DECISION_UPDATE] =
        {"decision_update",
         "UPDATE decisions SET decided_on = :decided_on, outcome = :outcome,"
         " valid_from = :valid_from, valid_until = :valid_until, mailed = :mailed,"
         " notes = :notes, updated_at = :now, version = version + 1"
         " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_DECISION_DELETE] = {"decision_delete", CHILD_DELETE("decisions")},
    [SQL_DECISION_EARLIEST] = {"decision_earliest",
                               "SELECT min(decided_on) FROM decisions WHERE parole_request_id ="
                               " :parent_id"},

    [SQL_EXPIRATION_GET] = {"expiration_get", CHILD_GET("expirations", EXPIRATION_COLUMNS)},
    [SQL_EXPIRATION_LIST] = {"expiration_list", CHILD_LIST("expirations", EXPIRATION_COLUMNS)},
    [SQL_EXPIRATION_INSERT] =
        {"expiration_insert",
         "INSERT INTO expirations (parole_request_id, kind, expires_on, document_number, notes,"
         " created_at, updated_at, version)"
         " VALUES (:parent_id, :kind, :expires_on, :document_number, :notes, :now, :now, 1)"},
    [SQL_EXPIRATION_UPDATE] =
        {"expiration_update",
         "UPDATE expirations SET kind = :kind, expires_on = :expires_on,"
         " document_number = :document_number, notes = :notes, updated_at = :now,"
         " version = version + 1"
         " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_EXPIRATION_DELETE] = {"expiration_delete", CHILD_DELETE("expirations")},
};

const char *sql_text(enum sql_id id)
{
    return catalogue[id].text;
}

const char *sql_name(enum sql_id id)
{
    return catalogue[id].name;
}
