/* sql: every statement's text. Column lists are shared by macros so a resource's GET and list
 * return the same shape; string literals are joined at compile time. */
#include "sql.h"

#define CLIENT_COLUMNS                                                                             \
    "id, family_name, given_name, other_names, date_of_birth, country_of_birth, citizenship, "     \
    "a_number, passport_number, passport_country, passport_expires_on, email, phone, address, "    \
    "preferred_language, track_asylum_deadline, address_since, notes, distinct_from, created_at, " \
    "updated_at, version, row_nonce"

/* The derived stage of the parole request `p`, for :today (firm-local date) and :now (UTC).
 * The precedence is documented in README.md and docs/api-contract.md. A recorded parole or
 * I-94 date is the parole end; without one, an approval inside the US (parole in place,
 * re-parole) runs until its valid_until, while an approval abroad only authorises travel:
 * parole starts at entry, with the I-94, so it stays `approved` until that date is recorded. */
/* A stored parole end (alias t) that a program's termination exception set (the decision on the
 * exception's filing, before the parole's own end): the parole ends then. */
#define PROGRAM_SET_END "t.kind = 'parole_end' AND t.program_code IS NOT NULL AND t.terminates = 0"
#define STAGE_EXPRESSION                                                                           \
    "CASE (SELECT d.outcome FROM decisions d WHERE d.parole_request_id = p.id"                     \
    "      ORDER BY d.decided_on DESC, d.id DESC LIMIT 1)"                                         \
    " WHEN 'approved' THEN CASE"                                                                   \
    "   WHEN EXISTS (SELECT 1 FROM deadlines t WHERE t.parole_request_id = p.id"                   \
    "                AND t.terminates = 1 AND t.due_on <= :today) THEN 'terminated'"               \
    "   WHEN (SELECT min(t.due_on) FROM deadlines t WHERE t.parole_request_id = p.id"              \
    "         AND " PROGRAM_SET_END ") >= :today THEN 'paroled'"                                   \
    "   WHEN EXISTS (SELECT 1 FROM deadlines t WHERE t.parole_request_id = p.id"                   \
    "                AND " PROGRAM_SET_END ") THEN 'expired'"                                      \
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
    "p.expedite AS expedite, p.assigned_attorney_id AS assigned_attorney_id, "                     \
    "p.assigned_paralegal_id AS assigned_paralegal_id, p.renews_request_id AS renews_request_id, " \
    "p.created_at AS created_at, "                                                                 \
    "p.updated_at AS updated_at, "                                                                 \
    "p.version AS version, p.row_nonce AS row_nonce, " TALLY_STAGE " AS stage"
/* A request with its stored stage facts (alias t), which REQUEST_COLUMNS' stage reads. */
/* unguarded=true: an open request that nothing protects (alias t: its stored facts): approved
 * with no parole end recorded, filed 30 or more days ago with no receipt number yet, or no
 * deadline still ahead (upcoming or due today). */
#define REQUEST_UNGUARDED                                                                          \
    "(" TALLY_STAGE ") NOT IN ('denied', 'withdrawn', 'closed', 'terminated') AND ("               \
    " (" TALLY_STAGE ") = 'approved'"                                                              \
    " OR ((" TALLY_STAGE ") = 'filed' AND t.first_filed_on <= date(:today, '-30 days'))"           \
    " OR NOT (coalesce(t.ahead_on, '') >= :today OR coalesce(t.ahead_at, '') >= :now))"
#define REQUEST_FROM                                                                               \
    " FROM parole_requests p LEFT JOIN parole_request_facts t ON t.parole_request_id = p.id"

/* The list filters of parole requests but the stage (aliases p and t, as REQUEST_FROM). */
#define REQUEST_LIST_FILTERS                                                                       \
    " AND (:client_id IS NULL OR p.client_id = :client_id)"                                        \
    " AND (:parole_type IS NULL OR p.parole_type = :parole_type)"                                  \
    " AND (:program IS NULL OR p.program = :program)"                                              \
    " AND (:assigned_to IS NULL OR p.assigned_attorney_id = :assigned_to"                          \
    "      OR p.assigned_paralegal_id = :assigned_to)"                                             \
    " AND (:unguarded IS NOT 'true' OR (" REQUEST_UNGUARDED "))"                                   \
    " AND (:id IS NULL OR p.id IN (SELECT value FROM json_each(:id)))"                             \
    " AND (:q IS NULL OR search_match(p.search_key || char(31) || (SELECT c.search_key"            \
    " FROM clients c WHERE c.id = p.client_id), :q))"
/* One class of a stage (an SQL expression of :stage; NULL: none): the ids of the first page of
 * its requests after :after that are in :stage now, in id order. */
#define REQUEST_STAGE_ARM(class)                                                                   \
    "SELECT * FROM (SELECT t.parole_request_id AS id FROM parole_request_facts t"                  \
    " INDEXED BY parole_request_facts_by_class WHERE t.stage_class = " class                       \
        " AND t.parole_request_id > :after AND (" TALLY_STAGE ") = :stage"                         \
        " ORDER BY t.parole_request_id LIMIT :limit)"
/* The classes a stage can come from (SQL expressions of :stage; NULL: no class): a draft,
 * filed or receipted request may also be one whose interview has passed; an interview ahead
 * may precede any of those three; paroled and expired are both an approval with an end; a
 * paroled or approved request may be one whose program's termination is still ahead, and a
 * terminated one either of those once it has passed (or a decision that terminated it). */
#define STAGE_CLASS_1                                                                              \
    "CASE :stage WHEN 'paroled' THEN 'approved_until' WHEN 'expired' THEN 'approved_until'"        \
    " WHEN 'interview_scheduled' THEN 'interview_then_draft' ELSE :stage END"
#define STAGE_CLASS_2                                                                              \
    "CASE :stage WHEN 'interview_scheduled' THEN 'interview_then_filed'"                           \
    " WHEN 'draft' THEN 'interview_then_draft' WHEN 'filed' THEN 'interview_then_filed'"           \
    " WHEN 'receipted' THEN 'interview_then_receipted'"                                            \
    " WHEN 'paroled' THEN 'paroled_then_terminated' WHEN 'approved' THEN "                         \
    "'approved_then_terminated'"                                                                   \
    " WHEN 'terminated' THEN 'paroled_then_terminated' END"
#define STAGE_CLASS_3                                                                              \
    "CASE :stage WHEN 'interview_scheduled' THEN 'interview_then_receipted'"                       \
    " WHEN 'terminated' THEN 'approved_then_terminated' END"
/* The parole request list when a stage is its only filter: each class the stage can come from
 * is read in id order from its own index range and cut to a page; the page is the first ids of
 * those few rows, each request read by its key in id order (an IN list is walked sorted, so
 * no sort of the wide rows follows). */
// clang-format off
#define REQUEST_LIST_BY_STAGE                                                                      \
    "SELECT " REQUEST_COLUMNS REQUEST_FROM " WHERE p.id IN (SELECT id FROM ("                      \
    REQUEST_STAGE_ARM(STAGE_CLASS_1) " UNION ALL "                                                 \
    REQUEST_STAGE_ARM(STAGE_CLASS_2) " UNION ALL "                                                 \
    REQUEST_STAGE_ARM(STAGE_CLASS_3) ") ORDER BY 1 LIMIT :limit) ORDER BY p.id"
// clang-format on

/* With where the request's re-parole window opens (for the filing's warnings; not a member). */
#define FILING_COLUMNS                                                                             \
    "id, parole_request_id, form, filed_on, kind, receipt_number, receipt_notice_on, fee_cents, "  \
    "method, decided_on, outcome, ead_category, notes, created_at, updated_at, version, "          \
    "row_nonce, CASE WHEN form IN ('I-131', 'I-131F') THEN (SELECT max(d.opens_on) FROM "          \
    "deadlines d"                                                                                  \
    " WHERE d.kind = 'reparole_filing' AND (d.parole_request_id = filings.parole_request_id"       \
    "  AND filings.kind = 're_parole' OR d.parole_request_id = (SELECT q.renews_request_id"        \
    "  FROM parole_requests q WHERE q.id = filings.parole_request_id))) END"                       \
    " AS reparole_window_opens_on"
#define RFE_COLUMNS                                                                                \
    "id, parole_request_id, issued_on, kind, response_due_on, mailed, responded_on, summary, "     \
    "created_at, updated_at, version, row_nonce"
#define FEE_SCHEDULE_COLUMNS                                                                       \
    "id, code, kind, form, amount_cents, effective_from, effective_to, citation_source, "          \
    "citation_date, created_at, updated_at, version"
#define ENTRY_COLUMNS                                                                              \
    "id, client_id, arrived_on, departed_on, port, class_of_admission, notes, created_at, "        \
    "updated_at, version, row_nonce"
#define FEE_NOTICE_COLUMNS                                                                         \
    "id, parole_request_id, kind, form, amount_cents, issued_on, due_on, paid_on, notes, "         \
    "created_at, updated_at, version, row_nonce"
#define INTERVIEW_COLUMNS                                                                          \
    "id, parole_request_id, kind, scheduled_at, location, outcome, notes, created_at, "            \
    "updated_at, version, row_nonce"
#define DECISION_COLUMNS                                                                           \
    "id, parole_request_id, decided_on, outcome, valid_from, valid_until, mailed, notes, "         \
    "created_at, updated_at, version, row_nonce"
#define EXPIRATION_COLUMNS                                                                         \
    "id, parole_request_id, kind, issued_on, expires_on, document_number, ead_category, notes, "   \
    "created_at, updated_at, version, row_nonce"

/* The five statements every child resource of a parole request has. */
#define CHILD_GET(table, columns)                                                                  \
    "SELECT " columns " FROM " table " WHERE id = :id AND parole_request_id = :parent_id"
#define CHILD_LIST(table, columns)                                                                 \
    "SELECT " columns " FROM " table " WHERE parole_request_id = :parent_id AND id > :after"       \
    " ORDER BY id LIMIT :limit"
#define CHILD_DELETE(table)                                                                        \
    "DELETE FROM " table " WHERE id = :id AND parole_request_id = :parent_id"

/* The id the next row of an AUTOINCREMENT table takes (read inside the write transaction):
 * above every id the table ever held, deleted ones included (migration 9). */
#define NEXT_ID(table)                                                                             \
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '" table "'), 0),"          \
    " coalesce((SELECT max(id) FROM " table "), 0)) + 1"
#define USER_COLUMNS                                                                               \
    "id, email, name, role, disabled, totp_enabled, created_at, updated_at, version"
#define AUDIT_COLUMNS                                                                              \
    "id, at, actor_type, actor_id, actor_label, action, entity, entity_id, parole_request_id, "    \
    "request_id, changes, prev_hash, hash"
#define KEY_COLUMNS "id, name, scopes, prefix, created_at, last_used_at"

/* The filters of the audit trail list, in both orders. */
#define AUDIT_FILTERS                                                                              \
    " AND (:entity IS NULL OR entity = :entity)"                                                   \
    " AND (:entity_id IS NULL OR entity_id = :entity_id)"                                          \
    " AND (:actor_type IS NULL OR actor_type = :actor_type)"                                       \
    " AND (:actor_id IS NULL OR actor_id = :actor_id)"                                             \
    " AND (:from IS NULL OR at >= :from) AND (:to IS NULL OR at <= :to)"

#define PROGRAM_COLUMNS                                                                            \
    "id, code, name, aliases, terminated_on, citation_source, citation_date, exceptions, "         \
    "created_at, updated_at, version"
#define RULE_COLUMNS                                                                               \
    "id, code, kind, description, program, days, mailed_extra_days, opens_days_before, "           \
    "lead_times, enabled, effective_from, effective_to, citation_source, citation_date, "          \
    "ead_category, cap_at_parole_end, created_at, updated_at, version"

/* The parole requests whose deadlines are computed (:request_id, else every one; :assigned_to
 * narrows to one person's), for the request list and the event lists of the deadline engine. */
/* The facts a request's stage is derived from (table parole_request_facts), computed from its
 * events for the requests :from_id <= id < :to_id. The deadlines' `met` and `kind` carry a unary
 * + so each subquery reads the request's own rows by its key, never a firm-wide index (by met,
 * or the ends), which would walk every request's rows. */
#define FACTS_SELECT                                                                               \
    "SELECT p.id AS parole_request_id,"                                                            \
    " (SELECT d.outcome FROM decisions d WHERE d.parole_request_id = p.id"                         \
    "  ORDER BY d.decided_on DESC, d.id DESC LIMIT 1) AS latest_outcome,"                          \
    " coalesce((SELECT min(t.due_on) FROM deadlines t WHERE t.parole_request_id = p.id"            \
    "  AND " PROGRAM_SET_END "),"                                                                  \
    " (SELECT max(e.expires_on) FROM expirations e WHERE e.parole_request_id = p.id"               \
    "  AND e.kind IN ('parole', 'i94'))) AS parole_until,"                                         \
    " (SELECT d.valid_until FROM decisions d WHERE d.parole_request_id = p.id"                     \
    "  ORDER BY d.decided_on DESC, d.id DESC LIMIT 1) AS valid_until,"                             \
    " p.location IS 'inside_us' AS inside_us,"                                                     \
    " EXISTS (SELECT 1 FROM rfes r WHERE r.parole_request_id = p.id"                               \
    "  AND r.responded_on IS NULL) AS open_rfe,"                                                   \
    " (SELECT max(i.scheduled_at_utc) FROM interviews i WHERE i.parole_request_id = p.id"          \
    "  AND i.outcome IN ('scheduled', 'rescheduled')) AS interview_until,"                         \
    " EXISTS (SELECT 1 FROM filings f WHERE f.parole_request_id = p.id"                            \
    "  AND f.receipt_number IS NOT NULL) AS receipted,"                                            \
    " EXISTS (SELECT 1 FROM filings f WHERE f.parole_request_id = p.id) AS filed,"                 \
    " (SELECT min(f.filed_on) FROM filings f WHERE f.parole_request_id = p.id)"                    \
    "  AS first_filed_on,"                                                                         \
    " (SELECT max(d.due_on) FROM deadlines d WHERE d.parole_request_id = p.id AND +d.met = 0"      \
    "  AND d.due_at_utc IS NULL) AS ahead_on,"                                                     \
    " (SELECT max(d.due_at_utc) FROM deadlines d WHERE d.parole_request_id = p.id"                 \
    "  AND +d.met = 0 AND d.due_at_utc IS NOT NULL) AS ahead_at,"                                  \
    " (SELECT max(d.due_on) FROM deadlines d WHERE d.parole_request_id = p.id AND +d.met = 0"      \
    "  AND +d.kind = 'parole_end') AS parole_end_due,"                                             \
    " (SELECT max(d.due_on) FROM deadlines d WHERE d.parole_request_id = p.id AND +d.met = 0"      \
    "  AND +d.kind = 'ead_end') AS ead_end_due,"                                                   \
    " (SELECT min(d.due_on) FROM deadlines d WHERE d.parole_request_id = p.id"                     \
    "  AND +d.terminates = 1) AS terminated_on"                                                    \
    " FROM parole_requests p WHERE p.id >= :from_id AND p.id < :to_id"

/* The facts with the request's stage class and the boundary where that class's stage turns
 * (date-free, so they are stored): an approval its program's termination ends is
 * 'paroled_then_terminated' (or 'approved_then_terminated' before any parole end is known)
 * until the termination date; an approval with an end date is 'approved_until' that end
 * (paroled until it passes, then expired); a request with an appointment and no decision is
 * 'interview_then_<stage>' until that instant; every other class is its stage. */
#define FACTS_WITH_CLASS                                                                           \
    "SELECT x.*, CASE x.latest_outcome"                                                            \
    " WHEN 'approved' THEN CASE WHEN x.terminated_on IS NOT NULL THEN"                             \
    "   CASE WHEN x.parole_until IS NOT NULL OR (x.inside_us AND x.valid_until IS NOT NULL)"       \
    "   THEN 'paroled_then_terminated' ELSE 'approved_then_terminated' END"                        \
    "   WHEN x.parole_until IS NOT NULL THEN 'approved_until'"                                     \
    "   WHEN NOT x.inside_us THEN 'approved'"                                                      \
    "   WHEN x.valid_until IS NOT NULL THEN 'approved_until' ELSE 'approved' END"                  \
    " WHEN 'denied' THEN 'denied' WHEN 'withdrawn' THEN 'withdrawn'"                               \
    " WHEN 'administratively_closed' THEN 'closed' WHEN 'terminated' THEN 'terminated'"            \
    " ELSE CASE WHEN x.open_rfe THEN 'rfe_open'"                                                   \
    "   ELSE CASE WHEN x.interview_until IS NOT NULL THEN 'interview_then_' ELSE '' END"           \
    "     || CASE WHEN x.receipted THEN 'receipted' WHEN x.filed THEN 'filed' ELSE 'draft' END"    \
    "   END END AS stage_class,"                                                                   \
    " CASE x.latest_outcome"                                                                       \
    " WHEN 'approved' THEN CASE WHEN x.terminated_on IS NOT NULL THEN x.terminated_on"             \
    "   WHEN x.parole_until IS NOT NULL THEN x.parole_until"                                       \
    "   WHEN NOT x.inside_us THEN '' ELSE coalesce(x.valid_until, '') END"                         \
    " WHEN 'denied' THEN '' WHEN 'withdrawn' THEN '' WHEN 'administratively_closed' THEN ''"       \
    " WHEN 'terminated' THEN ''"                                                                   \
    " ELSE CASE WHEN x.open_rfe THEN '' ELSE coalesce(x.interview_until, '') END"                  \
    " END AS stage_boundary FROM (" FACTS_SELECT ") x"

/* A stage from a stage class and its boundary (alias t: a facts row or a tally row) against
 * :today and :now: the same stage, for every request, as STAGE_EXPRESSION from the events. */
#define TALLY_STAGE                                                                                \
    "CASE WHEN t.stage_class = 'approved_until' THEN"                                              \
    "  CASE WHEN t.stage_boundary >= :today THEN 'paroled' ELSE 'expired' END"                     \
    " WHEN substr(t.stage_class, -16) = '_then_terminated' THEN"                                   \
    "  CASE WHEN t.stage_boundary > :today THEN substr(t.stage_class, 1, length(t.stage_class) - " \
    "16)"                                                                                          \
    "  ELSE 'terminated' END"                                                                      \
    " WHEN substr(t.stage_class, 1, 15) = 'interview_then_' THEN"                                  \
    "  CASE WHEN t.stage_boundary > :now THEN 'interview_scheduled'"                               \
    "  ELSE substr(t.stage_class, 16) END"                                                         \
    " ELSE t.stage_class END"

/* The facts columns in table order. */
#define FACTS_COLUMNS                                                                              \
    "parole_request_id, latest_outcome, parole_until, valid_until, inside_us, open_rfe,"           \
    " interview_until, receipted, filed, first_filed_on, ahead_on, ahead_at, parole_end_due,"      \
    " ead_end_due, terminated_on, stage_class, stage_boundary"

/* The requests the engine computes at once: an id range (one request is [id, id + 1)). */
#define DEADLINE_REQUEST_WHERE "p.id >= :from_id AND p.id < :to_id"

/* The deadline ledger as the readers see it: the stored dates and facts, the rule's code and
 * citation, and the status derived from the dates against :today and :now (an appointment is
 * overdue once its instant passed). */
#define DLEDGER_STATUS                                                                             \
    "CASE WHEN d.met THEN CASE WHEN d.moot_decision_id IS NULL THEN 'met' ELSE 'moot' END"         \
    " WHEN d.due_at_utc IS NOT NULL THEN"                                                          \
    "  CASE WHEN d.due_at_utc < :now THEN 'overdue' WHEN d.due_on = :today THEN 'due_today'"       \
    "  ELSE 'upcoming' END"                                                                        \
    " WHEN d.due_on > :today THEN 'upcoming' WHEN d.due_on = :today THEN 'due_today'"              \
    " ELSE 'overdue' END"
/* Whether someone marked the deadline handled for the due date it has now (a mark made for an
 * earlier date of the same id, the next change of address say, does not count). */
#define DLEDGER_HANDLED "(t.handled_at IS NOT NULL AND t.handled_due_on IS d.due_on)"
/* A deadline's triage state: handled (someone marked it so, with a reason), snoozed (hidden
 * from the queue until a later day), else open. */
#define DLEDGER_TRIAGE                                                                             \
    "CASE WHEN " DLEDGER_HANDLED " THEN 'handled'"                                                 \
    " WHEN t.snoozed_until > :today THEN 'snoozed' ELSE 'open' END"
#define DLEDGER_COLUMNS                                                                            \
    "d.parole_request_id, d.deadline_id, d.kind, d.client_id, d.due_on, d.due_at,"                 \
    " d.due_at_utc, d.opens_on, d.met, d.rule_id, d.rule_version, d.source_resource,"              \
    " d.source_id, d.title, d.moot_decision_id, d.basis, d.premature, d.program_code,"             \
    " r.code AS rule_code,"                                                                        \
    " CASE WHEN d.program_code IS NULL THEN r.citation_source ELSE (SELECT g.citation_source"      \
    "  FROM programs g WHERE g.code = d.program_code) END AS citation_source,"                     \
    " CASE WHEN d.program_code IS NULL THEN r.citation_date ELSE (SELECT g.citation_date"          \
    "  FROM programs g WHERE g.code = d.program_code) END AS citation_date, " DLEDGER_STATUS       \
    " AS status, t.id AS triage_id, t.row_nonce AS triage_nonce,"                                  \
    " CASE WHEN " DLEDGER_HANDLED " THEN t.handled_reason END AS handled_reason,"                  \
    " CASE WHEN " DLEDGER_HANDLED " THEN t.handled_by END AS handled_by,"                          \
    " CASE WHEN " DLEDGER_HANDLED " THEN t.handled_at END AS handled_at,"                          \
    " t.snoozed_until, t.assignee_id,"                                                             \
    " coalesce(t.version, 1) AS triage_version, " DLEDGER_TRIAGE " AS triage"
/* What people decided about a deadline (deadline_triage, keyed by the deadline's API id): every
 * reader joins it. */
#define DLEDGER_TRIAGE_JOIN " LEFT JOIN deadline_triage t ON t.deadline_id = d.deadline_id"
/* The filters on it: the triage state (open, handled, snoozed; NULL: any), the deadline's own
 * assignee (NULL: anyone's or no one's). */
#define DLEDGER_TRIAGE_FILTERS                                                                     \
    " AND (:triage IS NULL OR (" DLEDGER_TRIAGE ") = :triage)"                                     \
    " AND (:assignee IS NULL OR t.assignee_id = :assignee)"
/* The filters every firm-wide read takes: a due-date range (:lo..:hi, always bound), a kind and
 * an exact status (NULL: any). */
#define DLEDGER_FILTERS                                                                            \
    " d.due_on >= :lo AND d.due_on <= :hi AND (:kind IS NULL OR d.kind = :kind)"                   \
    " AND (:status IS NULL OR (" DLEDGER_STATUS ") = :status)"
/* A client's own date (passport, asylum, address) shows once, under the lowest request that holds
 * it (a client with no request holds it alone: parole_request_id NULL). */
#define DLEDGER_FIRST_OF_CLIENT                                                                    \
    " AND NOT (d.source_resource = 'clients' AND EXISTS (SELECT 1 FROM deadlines o"                \
    "  WHERE o.deadline_id = d.deadline_id AND o.parole_request_id < d.parole_request_id))"
/* The API's order, and the page after a cursor (the last item's place in that order). */
#define DLEDGER_AFTER                                                                              \
    " AND (d.due_on, d.due_at, d.deadline_id, d.parole_request_id)"                                \
    " > (:after_due, :after_at, :after_id, :after_request)"
#define DLEDGER_ORDER                                                                              \
    " ORDER BY d.due_on, d.due_at, d.deadline_id, d.parole_request_id LIMIT :limit"
#define DEADLINE_REQUEST_IDS "SELECT p.id FROM parole_requests p WHERE " DEADLINE_REQUEST_WHERE

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
                                        " AND (:a_number IS NULL OR a_number_index = :a_number)"
                                        " AND (:passport_number IS NULL"
                                        "      OR passport_number_index = :passport_number)"
                                        " AND (:citizenship IS NULL OR citizenship = :citizenship)"
                                        " AND (:id IS NULL OR id IN (SELECT value FROM"
                                        "      json_each(:id)))"
                                        " ORDER BY id LIMIT :limit"},
    [SQL_CLIENT_INSERT] =
        {"client_insert",
         "INSERT INTO clients (id, family_name, given_name, other_names, date_of_birth,"
         " country_of_birth, citizenship, a_number, passport_number, passport_country,"
         " passport_expires_on, email, phone, address, preferred_language, track_asylum_deadline,"
         " address_since, notes, distinct_from, search_key, a_number_index, passport_number_index,"
         " created_at, updated_at, version, row_nonce)"
         " VALUES (:id, :family_name, :given_name, :other_names, :date_of_birth, :country_of_birth,"
         " :citizenship, :a_number, :passport_number, :passport_country, :passport_expires_on,"
         " :email, :phone, :address, :preferred_language, :track_asylum_deadline, :address_since,"
         " :notes, :distinct_from, :search_key, :a_number_index, :passport_number_index, :now, "
         ":now,"
         " 1, :row_nonce)"},
    [SQL_CLIENT_UPDATE] =
        {"client_update",
         "UPDATE clients SET family_name = :family_name, given_name = :given_name,"
         " other_names = :other_names, date_of_birth = :date_of_birth,"
         " country_of_birth = :country_of_birth, citizenship = :citizenship,"
         " a_number = :a_number, passport_number = :passport_number,"
         " passport_country = :passport_country, passport_expires_on = :passport_expires_on,"
         " email = :email, phone = :phone, address = :address,"
         " preferred_language = :preferred_language,"
         " track_asylum_deadline = :track_asylum_deadline, address_since = :address_since,"
         " notes = :notes, distinct_from = :distinct_from, search_key = :search_key,"
         " a_number_index = :a_number_index, passport_number_index = :passport_number_index,"
         " updated_at = :now, version = version + 1 WHERE id = :id AND version = :version"},
    [SQL_CLIENT_DELETE] = {"client_delete", "DELETE FROM clients WHERE id = :id"},
    [SQL_CLIENT_DEPENDENTS] = {"client_dependents",
                               "SELECT (SELECT count(*) FROM parole_requests WHERE client_id = :id)"
                               " + (SELECT count(*) FROM entries WHERE client_id = :id)"},
    [SQL_ENTRY_GET] = {"entry_get", "SELECT " ENTRY_COLUMNS " FROM entries"
                                    " WHERE id = :id AND client_id = :parent_id"},
    [SQL_ENTRY_LIST] = {"entry_list", "SELECT " ENTRY_COLUMNS " FROM entries"
                                      " WHERE client_id = :parent_id AND id > :after"
                                      " ORDER BY id LIMIT :limit"},
    [SQL_ENTRY_INSERT] =
        {"entry_insert",
         "INSERT INTO entries (id, client_id, arrived_on, departed_on, port, class_of_admission,"
         " notes, created_at, updated_at, version, row_nonce) VALUES (:id, :parent_id,"
         " :arrived_on, :departed_on, :port, :class_of_admission, :notes, :now, :now, 1,"
         " :row_nonce)"},
    [SQL_ENTRY_UPDATE] =
        {"entry_update",
         "UPDATE entries SET arrived_on = :arrived_on, departed_on = :departed_on, port = :port,"
         " class_of_admission = :class_of_admission, notes = :notes, updated_at = :now,"
         " version = version + 1 WHERE id = :id AND client_id = :parent_id AND version = :version"},
    [SQL_ENTRY_DELETE] = {"entry_delete",
                          "DELETE FROM entries WHERE id = :id AND client_id = :parent_id"},
    [SQL_NEXT_ID_ENTRIES] = {"next_id_entries", NEXT_ID("entries")},
    [SQL_REQUEST_CLIENT_ID] = {"request_client_id",
                               "SELECT client_id FROM parole_requests WHERE id = :id"},

    [SQL_CLIENT_EXISTS] = {"client_exists", "SELECT 1 FROM clients WHERE id = :id"},
    [SQL_REQUEST_EXISTS] = {"request_exists", "SELECT 1 FROM parole_requests WHERE id = :id"},

    [SQL_REQUEST_GET] = {"request_get", "SELECT " REQUEST_COLUMNS REQUEST_FROM " WHERE p.id = :id"},
    [SQL_REQUEST_LIST] = {"request_list",
                          "SELECT * FROM (SELECT " REQUEST_COLUMNS REQUEST_FROM
                          " WHERE p.id > :after" REQUEST_LIST_FILTERS ")"
                          " WHERE (:stage IS NULL OR stage = :stage) ORDER BY id LIMIT :limit"},
    /* The same list when a stage is its only filter (REQUEST_LIST_BY_STAGE). */
    [SQL_REQUEST_LIST_BY_STAGE] = {"request_list_by_stage", REQUEST_LIST_BY_STAGE},
    [SQL_REQUEST_INSERT] =
        {"request_insert",
         "INSERT INTO parole_requests (id, client_id, parole_type, program, location, summary,"
         " sponsor_name, sponsor_relationship, sponsor_status, expedite, assigned_attorney_id,"
         " assigned_paralegal_id, renews_request_id, search_key, created_at, updated_at, version,"
         " row_nonce) VALUES (:id, :client_id, :parole_type, :program, :location, :summary,"
         " :sponsor_name, :sponsor_relationship, :sponsor_status, :expedite,"
         " :assigned_attorney_id, :assigned_paralegal_id, :renews_request_id, :search_key, :now,"
         " :now, 1, :row_nonce)"},
    [SQL_REQUEST_UPDATE] =
        {"request_update",
         "UPDATE parole_requests SET client_id = :client_id, parole_type = :parole_type,"
         " program = :program, location = :location, summary = :summary,"
         " sponsor_name = :sponsor_name, sponsor_relationship = :sponsor_relationship,"
         " sponsor_status = :sponsor_status, expedite = :expedite,"
         " assigned_attorney_id = :assigned_attorney_id,"
         " assigned_paralegal_id = :assigned_paralegal_id,"
         " renews_request_id = :renews_request_id, search_key = :search_key,"
         " updated_at = :now, version = version + 1 WHERE id = :id AND version = :version"},
    [SQL_REQUEST_DELETE] = {"request_delete", "DELETE FROM parole_requests WHERE id = :id"},
    [SQL_REQUEST_DEPENDENTS] =
        {"request_dependents",
         "SELECT (SELECT count(*) FROM filings WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM rfes WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM interviews WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM decisions WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM expirations WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM fee_notices WHERE parole_request_id = :id)"
         " + (SELECT count(*) FROM parole_requests WHERE renews_request_id = :id)"},
    /* The client of request :id (0: none), for the renewed request's check. */
    [SQL_REQUEST_RENEWAL_CLIENT] = {"request_renewal_client",
                                    "SELECT client_id FROM parole_requests WHERE id = :id"},
    /* Request :renewed renews request :id already (a renewal the other way round: a loop). */
    [SQL_REQUEST_RENEWS_BACK] = {"request_renews_back",
                                 "SELECT count(*) FROM parole_requests WHERE id = :renewed"
                                 " AND renews_request_id = :id"},
    /* The requests renewing request :id that belong to another client than :client_id. */
    [SQL_REQUEST_RENEWERS_ELSEWHERE] = {"request_renewers_elsewhere",
                                        "SELECT count(*) FROM parole_requests"
                                        " WHERE renews_request_id = :id"
                                        " AND client_id IS NOT :client_id"},
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
         "  CASE kind WHEN 'i94' THEN 'I-94 admit-until date' WHEN 'ead' THEN 'Work permit (EAD)"
         " expires' WHEN 'parole' THEN 'Parole expires' WHEN 'travel_document' THEN"
         " 'Travel document expires' WHEN 'passport' THEN 'Passport expires' ELSE"
         " 'Document expires' END, 8"
         "  FROM expirations WHERE parole_request_id = :id"
         " UNION ALL SELECT 'fee_notice', issued_on, NULL, NULL, 'fee_notices', id,"
         "  CASE kind WHEN 'parole_fee' THEN 'Parole fee billed' WHEN 'filing_fee' THEN"
         "  coalesce(form || ' ', '') || 'filing fee billed' ELSE 'Fee billed' END, 9"
         "  FROM fee_notices WHERE parole_request_id = :id"
         " UNION ALL SELECT 'fee_paid', paid_on, NULL, NULL, 'fee_notices', id, 'Fee paid', 10"
         "  FROM fee_notices WHERE parole_request_id = :id AND paid_on IS NOT NULL"
         " UNION ALL SELECT 'uscis_status', date(fetched_at, 'localtime'), fetched_at,"
         "  fetched_at, 'uscis_statuses', id, 'USCIS: ' || status_text_en, 11"
         "  FROM uscis_statuses WHERE parole_request_id = :id"
         ") ORDER BY date, sort_at, ord, resource_id"},

    [SQL_FILING_GET] = {"filing_get", CHILD_GET("filings", FILING_COLUMNS)},
    [SQL_FILING_LIST] = {"filing_list", CHILD_LIST("filings", FILING_COLUMNS)},
    [SQL_FILING_INSERT] =
        {"filing_insert",
         "INSERT INTO filings (id, parole_request_id, form, filed_on, kind, receipt_number,"
         " receipt_notice_on, fee_cents, method, decided_on, outcome, ead_category, notes,"
         " created_at, updated_at, version, row_nonce) VALUES (:id, :parent_id, :form, :filed_on,"
         " :kind, :receipt_number, :receipt_notice_on, :fee_cents, :method, :decided_on,"
         " :outcome, :ead_category, :notes, :now, :now, 1, :row_nonce)"},
    [SQL_FILING_UPDATE] =
        {"filing_update",
         "UPDATE filings SET form = :form, filed_on = :filed_on, kind = :kind,"
         " receipt_number = :receipt_number, receipt_notice_on = :receipt_notice_on,"
         " fee_cents = :fee_cents, method = :method, decided_on = :decided_on,"
         " outcome = :outcome, ead_category = :ead_category, notes = :notes,"
         " updated_at = :now, version = version + 1"
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
    [SQL_RFE_INSERT] =
        {"rfe_insert", "INSERT INTO rfes (id, parole_request_id, issued_on, kind, response_due_on,"
                       " mailed, responded_on, summary, created_at, updated_at, version, row_nonce)"
                       " VALUES (:id, :parent_id, :issued_on, :kind, :response_due_on, :mailed,"
                       " :responded_on, :summary, :now, :now, 1, :row_nonce)"},
    [SQL_RFE_UPDATE] =
        {"rfe_update", "UPDATE rfes SET issued_on = :issued_on, kind = :kind,"
                       " response_due_on = :response_due_on, mailed = :mailed,"
                       " responded_on = :responded_on, summary = :summary, updated_at = :now,"
                       " version = version + 1"
                       " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_RFE_DELETE] = {"rfe_delete", CHILD_DELETE("rfes")},

    [SQL_FEE_NOTICE_GET] = {"fee_notice_get", CHILD_GET("fee_notices", FEE_NOTICE_COLUMNS)},
    [SQL_FEE_NOTICE_LIST] = {"fee_notice_list", CHILD_LIST("fee_notices", FEE_NOTICE_COLUMNS)},
    [SQL_FEE_NOTICE_INSERT] =
        {"fee_notice_insert",
         "INSERT INTO fee_notices (id, parole_request_id, kind, form, amount_cents, issued_on,"
         " due_on, paid_on, notes, created_at, updated_at, version, row_nonce)"
         " VALUES (:id, :parent_id, :kind, :form, :amount_cents, :issued_on, :due_on, :paid_on,"
         " :notes, :now, :now, 1, :row_nonce)"},
    [SQL_FEE_NOTICE_UPDATE] =
        {"fee_notice_update",
         "UPDATE fee_notices SET kind = :kind, form = :form, amount_cents = :amount_cents,"
         " issued_on = :issued_on, due_on = :due_on, paid_on = :paid_on, notes = :notes,"
         " updated_at = :now, version = version + 1"
         " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_FEE_NOTICE_DELETE] = {"fee_notice_delete", CHILD_DELETE("fee_notices")},
    /* The amount of the fee schedule row in force on :on for :kind (and :form when the row names
     * one), the latest effective_from first; no row: NULL. */
    [SQL_FEE_SCHEDULE_AMOUNT] = {"fee_schedule_amount",
                                 "SELECT amount_cents FROM fee_schedule WHERE kind = :kind"
                                 " AND (form IS NULL OR form = :form) AND effective_from <= :on"
                                 " AND (effective_to IS NULL OR :on < effective_to)"
                                 " ORDER BY form IS NULL, effective_from DESC LIMIT 1"},
    [SQL_FEE_SCHEDULE_LIST] = {"fee_schedule_list",
                               "SELECT " FEE_SCHEDULE_COLUMNS " FROM fee_schedule WHERE id > :after"
                               " ORDER BY id LIMIT :limit"},
    [SQL_FEE_SCHEDULE_GET] = {"fee_schedule_get",
                              "SELECT " FEE_SCHEDULE_COLUMNS " FROM fee_schedule WHERE id = :id"},
    [SQL_FEE_SCHEDULE_INSERT] =
        {"fee_schedule_insert",
         "INSERT INTO fee_schedule (id, code, kind, form, amount_cents, effective_from,"
         " effective_to, citation_source, citation_date, created_at, updated_at, version)"
         " VALUES (:id, :code, :kind, :form, :amount_cents, :effective_from, :effective_to,"
         " :citation_source, :citation_date, :now, :now, 1)"},
    [SQL_FEE_SCHEDULE_UPDATE] =
        {"fee_schedule_update",
         "UPDATE fee_schedule SET kind = :kind, form = :form, amount_cents = :amount_cents,"
         " effective_from = :effective_from, effective_to = :effective_to,"
         " citation_source = :citation_source, citation_date = :citation_date,"
         " updated_at = :now, version = version + 1 WHERE id = :id AND version = :version"},
    [SQL_NEXT_ID_FEE_SCHEDULE] = {"next_id_fee_schedule", NEXT_ID("fee_schedule")},

    [SQL_INTERVIEW_GET] = {"interview_get", CHILD_GET("interviews", INTERVIEW_COLUMNS)},
    [SQL_INTERVIEW_LIST] = {"interview_list", CHILD_LIST("interviews", INTERVIEW_COLUMNS)},
    [SQL_INTERVIEW_INSERT] =
        {"interview_insert",
         "INSERT INTO interviews (id, parole_request_id, kind, scheduled_at, scheduled_at_utc,"
         " location, outcome, notes, created_at, updated_at, version, row_nonce)"
         " VALUES (:id, :parent_id, :kind, :scheduled_at, :scheduled_at_utc, :location, :outcome,"
         " :notes, :now, :now, 1, :row_nonce)"},
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
         "INSERT INTO decisions (id, parole_request_id, decided_on, outcome, valid_from,"
         " valid_until, mailed, notes, created_at, updated_at, version, row_nonce)"
         " VALUES (:id, :parent_id, :decided_on, :outcome, :valid_from, :valid_until, :mailed,"
         " :notes, :now, :now, 1, :row_nonce)"},
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
         "INSERT INTO expirations (id, parole_request_id, kind, issued_on, expires_on,"
         " document_number, ead_category, notes, created_at, updated_at, version, row_nonce)"
         " VALUES (:id, :parent_id, :kind, :issued_on, :expires_on, :document_number,"
         " :ead_category, :notes, :now, :now, 1, :row_nonce)"},
    [SQL_EXPIRATION_UPDATE] =
        {"expiration_update",
         "UPDATE expirations SET kind = :kind, issued_on = :issued_on, expires_on = :expires_on,"
         " document_number = :document_number, ead_category = :ead_category, notes = :notes,"
         " updated_at = :now, version = version + 1"
         " WHERE id = :id AND parole_request_id = :parent_id AND version = :version"},
    [SQL_EXPIRATION_DELETE] = {"expiration_delete", CHILD_DELETE("expirations")},

    [SQL_NEXT_ID_CLIENTS] = {"next_id_clients", NEXT_ID("clients")},
    [SQL_NEXT_ID_PAROLE_REQUESTS] = {"next_id_parole_requests", NEXT_ID("parole_requests")},
    [SQL_NEXT_ID_FILINGS] = {"next_id_filings", NEXT_ID("filings")},
    [SQL_NEXT_ID_RFES] = {"next_id_rfes", NEXT_ID("rfes")},
    [SQL_NEXT_ID_FEE_NOTICES] = {"next_id_fee_notices", NEXT_ID("fee_notices")},
    [SQL_NEXT_ID_INTERVIEWS] = {"next_id_interviews", NEXT_ID("interviews")},
    [SQL_NEXT_ID_DECISIONS] = {"next_id_decisions", NEXT_ID("decisions")},
    [SQL_NEXT_ID_EXPIRATIONS] = {"next_id_expirations", NEXT_ID("expirations")},

    [SQL_AUDIT_LAST] = {"audit_last", "SELECT id, hash FROM audit_events"
                                      " WHERE id = (SELECT max(id) FROM audit_events)"},
    [SQL_AUDIT_INSERT] =
        {"audit_insert",
         "INSERT INTO audit_events (" AUDIT_COLUMNS ") VALUES (:id, :at, :actor_type, :actor_id,"
         " :actor_label, :action, :entity, :entity_id, :parole_request_id, :request_id, :changes,"
         " :prev_hash, :hash)"},
    [SQL_AUDIT_LIST] = {"audit_list",
                        "SELECT " AUDIT_COLUMNS " FROM audit_events WHERE id > :after" AUDIT_FILTERS
                        " ORDER BY id LIMIT :limit"},
    [SQL_AUDIT_LIST_DESC] =
        {"audit_list_desc",
         "SELECT " AUDIT_COLUMNS " FROM audit_events"
         " WHERE id < coalesce(nullif(:after, 0), 9223372036854775807)" AUDIT_FILTERS
         " ORDER BY id DESC LIMIT :limit"},
    [SQL_AUDIT_HISTORY] = {"audit_history",
                           "SELECT " AUDIT_COLUMNS " FROM audit_events WHERE id > :after"
                           " AND parole_request_id = :parent_id ORDER BY id LIMIT :limit"},
    [SQL_AUDIT_ALL] = {"audit_all", "SELECT " AUDIT_COLUMNS " FROM audit_events ORDER BY id"},
    [SQL_AUDIT_HEAD_GET] = {"audit_head_get",
                            "SELECT event_id, hash, event_count, at, mac FROM audit_head"
                            " WHERE slot = 1"},
    [SQL_AUDIT_HEAD_PUT] = {"audit_head_put",
                            "INSERT INTO audit_head (slot, event_id, hash, event_count, at, mac)"
                            " VALUES (1, :event_id, :hash, :event_count, :at, :mac)"
                            " ON CONFLICT (slot) DO UPDATE SET event_id = excluded.event_id,"
                            " hash = excluded.hash, event_count = excluded.event_count,"
                            " at = excluded.at, mac = excluded.mac"},

    [SQL_USER_GET] = {"user_get", "SELECT " USER_COLUMNS " FROM users WHERE id = :id"},
    [SQL_USER_LIST] = {"user_list", "SELECT " USER_COLUMNS " FROM users WHERE id > :after"
                                    " ORDER BY id LIMIT :limit"},
    [SQL_USER_INSERT] = {"user_insert",
                         "INSERT INTO users (email, name, role, disabled, password_hash,"
                         " created_at, updated_at, version)"
                         " VALUES (:email, :name, :role, 0, :password_hash, :now, :now, 1)"},
    [SQL_USER_UPDATE] = {"user_update",
                         "UPDATE users SET name = :name, role = :role, disabled = :disabled,"
                         " updated_at = :now, version = version + 1"
                         " WHERE id = :id AND version = :version"},
    [SQL_USER_BY_EMAIL] = {"user_by_email", "SELECT id FROM users WHERE email = :email"},
    [SQL_USER_ROLE] = {"user_role", "SELECT role FROM users WHERE id = :id AND disabled = 0"},
    [SQL_USER_SET_PASSWORD] = {"user_set_password",
                               "UPDATE users SET password_hash = :password_hash,"
                               " updated_at = :now, version = version + 1 WHERE id = :id"},
    [SQL_USER_SET_TOTP_PENDING] = {"user_set_totp_pending",
                                   "UPDATE users SET totp_pending_secret = :secret WHERE id = :id"},
    [SQL_USER_ENABLE_TOTP] = {"user_enable_totp", "UPDATE users SET totp_secret = :secret,"
                                                  " totp_pending_secret = NULL, totp_enabled = 1,"
                                                  " totp_last_step = :step, updated_at = :now,"
                                                  " version = version + 1 WHERE id = :id"},
    [SQL_USER_SET_TOTP_STEP] = {"user_set_totp_step",
                                "UPDATE users SET totp_last_step = :step WHERE id = :id"},
    [SQL_USER_SECRETS] = {"user_secrets",
                          "SELECT id, email, name, role, disabled, password_hash, totp_enabled,"
                          " totp_secret, totp_pending_secret, totp_last_step, row_nonce FROM users"
                          " WHERE id = :id"},

    [SQL_USER_REHASH] = {"user_rehash",
                         "UPDATE users SET password_hash = :password_hash WHERE id = :id"},
    [SQL_RECOVERY_INSERT] = {"recovery_insert", "INSERT INTO recovery_codes (user_id, code_hash)"
                                                " VALUES (:user_id, :code_hash)"},
    [SQL_RECOVERY_UNUSED] = {"recovery_unused",
                             "SELECT id, code_hash FROM recovery_codes WHERE user_id = :user_id"
                             " AND used_at IS NULL"},
    [SQL_RECOVERY_USE] = {"recovery_use", "UPDATE recovery_codes SET used_at = :now WHERE id = :id"
                                          " AND used_at IS NULL"},
    [SQL_RECOVERY_DELETE_ALL] = {"recovery_delete_all",
                                 "DELETE FROM recovery_codes WHERE user_id = :user_id"},

    [SQL_SESSION_INSERT] = {"session_insert",
                            "INSERT INTO sessions (token_hash, user_id, csrf_token, second_factor,"
                            " created_at, last_seen_at, expires_at) VALUES (:token_hash,"
                            " :user_id, :csrf_token, :second_factor, :now, :now, :expires_at)"},
    [SQL_SESSION_LOOKUP] = {"session_lookup",
                            "SELECT s.id, s.user_id, s.csrf_token, s.second_factor,"
                            " s.last_seen_at, s.expires_at, u.email, u.role, u.disabled"
                            " FROM sessions s JOIN users u ON u.id = s.user_id"
                            " WHERE s.token_hash = :token_hash"},
    [SQL_SESSION_TOUCH] = {"session_touch",
                           "UPDATE sessions SET last_seen_at = :now WHERE id = :id"},
    [SQL_SESSION_DELETE] = {"session_delete", "DELETE FROM sessions WHERE id = :id"},
    [SQL_SESSION_DELETE_USER] = {"session_delete_user",
                                 "DELETE FROM sessions WHERE user_id = :user_id"},
    [SQL_SESSION_DELETE_USER_OTHERS] = {"session_delete_user_others",
                                        "DELETE FROM sessions WHERE user_id = :user_id"
                                        " AND id <> :id"},
    [SQL_SESSION_LIST_USER] = {"session_list_user",
                               "SELECT id, created_at, last_seen_at, expires_at, second_factor"
                               " FROM sessions WHERE user_id = :user_id AND expires_at > :now"
                               " AND last_seen_at > :idle_since AND id > :after"
                               " ORDER BY id LIMIT :limit"},
    [SQL_SESSION_DELETE_OF_USER] = {"session_delete_of_user",
                                    "DELETE FROM sessions WHERE id = :id AND user_id = :user_id"},

    [SQL_SESSION_PRUNE] = {"session_prune", "DELETE FROM sessions WHERE expires_at <= :now"},
    [SQL_KEY_INSERT] = {"key_insert",
                        "INSERT INTO api_keys (name, scopes, prefix, secret_hash, created_by,"
                        " created_at) VALUES (:name, :scopes, :prefix, :secret_hash,"
                        " :created_by, :now)"},
    [SQL_KEY_LIST] = {"key_list", "SELECT " KEY_COLUMNS " FROM api_keys WHERE revoked_at IS NULL"
                                  " AND id > :after ORDER BY id LIMIT :limit"},
    [SQL_KEY_GET] = {"key_get", "SELECT " KEY_COLUMNS " FROM api_keys WHERE id = :id"
                                " AND revoked_at IS NULL"},
    [SQL_KEY_BY_PREFIX] = {"key_by_prefix",
                           "SELECT id, name, scopes, secret_hash, last_used_at FROM api_keys"
                           " WHERE prefix = :prefix AND revoked_at IS NULL"},
    [SQL_KEY_TOUCH] = {"key_touch", "UPDATE api_keys SET last_used_at = :now WHERE id = :id"},
    [SQL_KEY_REVOKE] = {"key_revoke", "UPDATE api_keys SET revoked_at = :now WHERE id = :id"
                                      " AND revoked_at IS NULL"},

    [SQL_FAILURE_INSERT] = {"failure_insert",
                            "INSERT INTO sign_in_failures (email_key, address, at)"
                            " VALUES (:email_key, :address, :now)"},
    [SQL_FAILURE_TOUCH] = {"failure_touch", "UPDATE sign_in_failures SET at = :now WHERE id = :id"},
    [SQL_FAILURE_BY_PAIR] = {"failure_by_pair",
                             "SELECT count(*) AS failures, min(at) AS oldest"
                             " FROM sign_in_failures WHERE email_key = :email_key"
                             " AND address = :address AND at > :since"},
    [SQL_FAILURE_BY_EMAIL] = {"failure_by_email",
                              "SELECT count(*) AS failures, max(at) AS latest"
                              " FROM sign_in_failures WHERE email_key = :email_key"
                              " AND at > :account_since"},
    [SQL_FAILURE_BY_ADDRESS] = {"failure_by_address",
                                "SELECT count(*) AS failures, min(at) AS oldest"
                                " FROM sign_in_failures WHERE address = :address AND at > :since"},
    [SQL_FAILURE_PRUNE] = {"failure_prune",
                           "DELETE FROM sign_in_failures WHERE at <= :account_since"},
    [SQL_FAILURE_RELEASE] = {"failure_release", "DELETE FROM sign_in_failures WHERE id = :id"},
    [SQL_KNOWN_ADDRESS_PUT] = {"known_address_put",
                               "INSERT INTO sign_in_known_addresses (email_key, address,"
                               " last_success_at) VALUES (:email_key, :address, :now)"
                               " ON CONFLICT (email_key, address)"
                               " DO UPDATE SET last_success_at = excluded.last_success_at"},
    [SQL_KNOWN_ADDRESS_COUNT] = {"known_address_count",
                                 "SELECT count(*) FROM sign_in_known_addresses"
                                 " WHERE email_key = :email_key AND address = :address"
                                 " AND last_success_at > :known_since"},
    [SQL_KNOWN_ADDRESS_PRUNE] = {"known_address_prune", "DELETE FROM sign_in_known_addresses"
                                                        " WHERE last_success_at <= :known_since"},

    [SQL_SETTING_GET] = {"setting_get", "SELECT value FROM settings WHERE key = :key"},
    [SQL_KEYED_TRACES] =
        {"keyed_traces", "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM audit_events)"
                         " + (SELECT count(*) FROM audit_head)"
                         " + (SELECT count(*) FROM settings WHERE key = 'audit_key')"
                         " + (SELECT count(*) FROM clients WHERE a_number LIKE 'enc%'"
                         " OR passport_number LIKE 'enc%' OR date_of_birth LIKE 'enc%'"
                         " OR notes LIKE 'enc%')"
                         " + (SELECT count(*) FROM parole_requests WHERE summary LIKE 'enc%')"},
    [SQL_SETTING_DELETE] = {"setting_delete", "DELETE FROM settings WHERE key = :key"},
    [SQL_FOREIGN_KEY_CHECK] = {"foreign_key_check", "PRAGMA foreign_key_check"},
    [SQL_INTEGRITY_CHECK] = {"integrity_check", "PRAGMA integrity_check"},
    /* A consistent copy of the whole database as of one read snapshot (backup.c). */
    [SQL_VACUUM_INTO] = {"vacuum_into", "VACUUM INTO :path"},
    [SQL_CHECKPOINT_TRUNCATE] = {"checkpoint_truncate", "PRAGMA wal_checkpoint(TRUNCATE)"},
    [SQL_CLIENT_SET_INDEXES] = {"client_set_indexes",
                                "UPDATE clients SET a_number_index = :a_number_index,"
                                " passport_number_index = :passport_number_index WHERE id = :id"},
#define SEALED_ENTRIES(name, table, column)                                                        \
    [SQL_SEALED_SELECT_##name] = {"sealed_select_" table "_" column,                               \
                                  "SELECT id, " column " AS value, row_nonce FROM " table          \
                                  " WHERE " column " IS NOT NULL ORDER BY id"},                    \
    [SQL_SEALED_UPDATE_##name] = {"sealed_update_" table "_" column,                               \
                                  "UPDATE " table " SET " column " = :value WHERE id = :id"},
    SEALED_COLUMNS(SEALED_ENTRIES)
#undef SEALED_ENTRIES
        [SQL_FAILURE_CLEAR_PAIR] = {"failure_clear_pair",
                                    "DELETE FROM sign_in_failures WHERE email_key = :email_key"
                                    " AND address = :address"},
    [SQL_LOOKUP_PRUNE] = {"lookup_prune", "DELETE FROM identifier_lookups WHERE at <= :since"},
    [SQL_LOOKUP_COUNT] =
        {"lookup_count",
         "SELECT count(*) AS lookups, min(at) AS oldest FROM identifier_lookups"
         " WHERE actor_type = :actor_type AND actor_id = :actor_id AND at > :since"},
    [SQL_LOOKUP_INSERT] = {"lookup_insert",
                           "INSERT INTO identifier_lookups (actor_type, actor_id, at)"
                           " VALUES (:actor_type, :actor_id, :now)"},
    [SQL_SESSION_SET_FACTOR] = {"session_set_factor",
                                "UPDATE sessions SET second_factor = :second_factor"
                                " WHERE id = :id"},
    [SQL_RULES_ALL] = {"rules_all", "SELECT " RULE_COLUMNS " FROM deadline_rules ORDER BY id"},
    [SQL_RULE_GET] = {"rule_get", "SELECT " RULE_COLUMNS " FROM deadline_rules WHERE id = :id"},
    [SQL_RULE_LIST] = {"rule_list", "SELECT " RULE_COLUMNS " FROM deadline_rules WHERE id > :after"
                                    " ORDER BY id LIMIT :limit"},
    [SQL_RULE_UPDATE] =
        {"rule_update",
         "UPDATE deadline_rules SET description = :description, days = :days,"
         " mailed_extra_days = :mailed_extra_days, opens_days_before = :opens_days_before,"
         " lead_times = :lead_times, enabled = :enabled, effective_from = :effective_from,"
         " effective_to = :effective_to, citation_source = :citation_source,"
         " citation_date = :citation_date, updated_at = :now, version = version + 1"
         " WHERE id = :id AND version = :version"},
    [SQL_PROGRAMS_ALL] = {"programs_all", "SELECT " PROGRAM_COLUMNS " FROM programs ORDER BY id"},
    [SQL_PROGRAM_GET] = {"program_get", "SELECT " PROGRAM_COLUMNS " FROM programs WHERE id = :id"},
    [SQL_PROGRAM_LIST] = {"program_list", "SELECT " PROGRAM_COLUMNS " FROM programs"
                                          " WHERE id > :after ORDER BY id LIMIT :limit"},
    [SQL_PROGRAM_INSERT] =
        {"program_insert",
         "INSERT INTO programs (id, code, name, aliases, terminated_on, citation_source,"
         " citation_date, exceptions, created_at, updated_at, version) VALUES (:id, :code, :name,"
         " :aliases, :terminated_on, :citation_source, :citation_date, :exceptions, :now, :now,"
         " 1)"},
    [SQL_PROGRAM_UPDATE] =
        {"program_update",
         "UPDATE programs SET name = :name, aliases = :aliases, terminated_on = :terminated_on,"
         " citation_source = :citation_source, citation_date = :citation_date,"
         " exceptions = :exceptions, updated_at = :now, version = version + 1"
         " WHERE id = :id AND version = :version"},
    [SQL_NEXT_ID_PROGRAMS] = {"next_id_programs", NEXT_ID("programs")},
    /* The code a typed program stands for: a code, or one of a program's aliases, by case. */
    [SQL_PROGRAM_RESOLVE] = {"program_resolve",
                             "SELECT g.code FROM programs g WHERE g.code = lower(:program)"
                             " OR EXISTS (SELECT 1 FROM json_each(g.aliases) a"
                             "  WHERE lower(a.value) = lower(:program)) ORDER BY g.id LIMIT 1"},
    /* Another program already has this code or alias (:id: the program itself, 0 for none). */
    [SQL_PROGRAM_NAME_TAKEN] = {"program_name_taken",
                                "SELECT count(*) FROM programs g WHERE g.id IS NOT :id AND"
                                " (g.code = :name OR EXISTS (SELECT 1 FROM json_each(g.aliases) a"
                                "  WHERE a.value = :name))"},
    [SQL_PROGRAM_CODES] = {"program_codes",
                           "SELECT group_concat(code, ', ') FROM (SELECT code FROM programs"
                           " ORDER BY code)"},
    /* The programs requests name that no program row has (kept by migration 16). */
    [SQL_PROGRAM_UNKNOWN] = {"program_unknown",
                             "SELECT program, count(*) AS requests FROM parole_requests"
                             " WHERE program IS NOT NULL"
                             " AND program NOT IN (SELECT code FROM programs)"
                             " GROUP BY program ORDER BY program"},
    /* The request :id already names :program (kept on a patch that leaves it alone). */
    [SQL_REQUEST_PROGRAM_KEPT] = {"request_program_kept",
                                  "SELECT count(*) FROM parole_requests WHERE id = :id"
                                  " AND program = :program"},
    [SQL_DEADLINE_REQUESTS] =
        {"deadline_requests",
         "SELECT p.id, p.client_id, p.program, p.location,"
         " c.passport_expires_on, c.track_asylum_deadline = 1 AS track_asylum_deadline,"
         " c.address_since,"
         " (SELECT max(e.arrived_on) FROM entries e WHERE e.client_id = p.client_id)"
         "  AS last_arrived_on,"
         " (SELECT min(f.filed_on) FROM filings f INDEXED BY filings_by_form"
         "  WHERE f.form = 'I-589' AND f.parole_request_id IN"
         "  (SELECT q.id FROM parole_requests q WHERE q.client_id = p.client_id)) AS i589_filed_on,"
         " (SELECT max(f.filed_on) FROM filings f INDEXED BY filings_by_form"
         "  WHERE f.form = 'AR-11' AND f.parole_request_id IN"
         "  (SELECT q.id FROM parole_requests q WHERE q.client_id = p.client_id)) AS ar11_filed_on,"
         " (SELECT json_group_array(json_object('form', f.form, 'filed_on', f.filed_on,"
         "  'decided_on', f.decided_on, 'outcome', f.outcome)) FROM filings f"
         "  WHERE f.parole_request_id IN"
         "  (SELECT q.id FROM parole_requests q WHERE q.client_id = p.client_id))"
         "  AS client_filings"
         " FROM parole_requests p JOIN clients c ON c.id = p.client_id "
         "WHERE " DEADLINE_REQUEST_WHERE " ORDER BY p.id"},
    [SQL_DEADLINE_RFES] =
        {"deadline_rfes",
         "SELECT parole_request_id, id, issued_on, kind, response_due_on, mailed,"
         " responded_on FROM rfes WHERE parole_request_id IN (" DEADLINE_REQUEST_IDS
         ") ORDER BY parole_request_id, id"},
    /* The filings of the requests that renew a request of the range, as that request's: the
     * first one inside its re-parole window meets it. */
    [SQL_DEADLINE_RENEWAL_FILINGS] =
        {"deadline_renewal_filings",
         "SELECT q.renews_request_id AS parole_request_id, f.id, f.form, f.kind, f.filed_on"
         " FROM parole_requests q INDEXED BY parole_requests_by_renewed"
         " JOIN filings f ON f.parole_request_id = q.id"
         " WHERE q.renews_request_id >= :from_id AND q.renews_request_id < :to_id"
         " ORDER BY q.renews_request_id, f.filed_on, f.id"},
    [SQL_DEADLINE_FEE_NOTICES] =
        {"deadline_fee_notices",
         "SELECT parole_request_id, id, kind, issued_on, due_on, paid_on"
         " FROM fee_notices WHERE parole_request_id IN (" DEADLINE_REQUEST_IDS
         ") ORDER BY parole_request_id, id"},
    [SQL_DEADLINE_INTERVIEWS] =
        {"deadline_interviews",
         "SELECT parole_request_id, id, kind, scheduled_at, scheduled_at_utc,"
         " outcome, date(scheduled_at_utc, 'localtime') AS local_date,"
         " date(created_at, 'localtime') AS recorded_on"
         " FROM interviews WHERE parole_request_id IN (" DEADLINE_REQUEST_IDS
         ") ORDER BY parole_request_id, id"},
    [SQL_DEADLINE_DECISIONS] =
        {"deadline_decisions",
         "SELECT parole_request_id, id, decided_on, outcome, valid_until,"
         " mailed FROM decisions WHERE parole_request_id IN (" DEADLINE_REQUEST_IDS
         ") ORDER BY parole_request_id, decided_on, id"},
    [SQL_DEADLINE_EXPIRATIONS] =
        {"deadline_expirations",
         "SELECT parole_request_id, id, kind, issued_on, expires_on, ead_category"
         " FROM expirations WHERE parole_request_id IN (" DEADLINE_REQUEST_IDS
         ") ORDER BY parole_request_id, expires_on, id"},
    [SQL_DEADLINE_FILINGS] = {"deadline_filings",
                              "SELECT parole_request_id, id, form, kind, filed_on,"
                              " receipt_number, decided_on, outcome"
                              " FROM filings WHERE parole_request_id IN (" DEADLINE_REQUEST_IDS
                              ") ORDER BY parole_request_id, filed_on, id"},
    /* The clients in [from_id, to_id) with no parole request, as a request with no events:
     * their own deadlines (passport, asylum one-year, change of address) stand alone. */
    [SQL_DEADLINE_CLIENTS_ALONE] =
        {"deadline_clients_alone",
         "SELECT NULL AS id, c.id AS client_id, NULL AS program, NULL AS location,"
         " c.passport_expires_on, c.track_asylum_deadline = 1 AS track_asylum_deadline,"
         " c.address_since,"
         " (SELECT max(e.arrived_on) FROM entries e WHERE e.client_id = c.id) AS last_arrived_on,"
         " NULL AS i589_filed_on, NULL AS ar11_filed_on, '[]' AS client_filings"
         " FROM clients c WHERE c.id >= :from_id AND c.id < :to_id"
         " AND NOT EXISTS (SELECT 1 FROM parole_requests p WHERE p.client_id = c.id)"
         " ORDER BY c.id"},
    [SQL_DLEDGER_DELETE_REQUEST] = {"dledger_delete_request",
                                    "DELETE FROM deadlines WHERE parole_request_id = :request_id"},
    [SQL_DLEDGER_DELETE_CLIENT_ALONE] = {"dledger_delete_client_alone",
                                         "DELETE FROM deadlines WHERE client_id = :client_id"
                                         " AND parole_request_id IS NULL"},
    /* Whether a client has a date its own deadlines count from (a new client typed with a name
     * alone has none: nothing to compute). */
    [SQL_DLEDGER_CLIENT_HAS_DATES] =
        {"dledger_client_has_dates", "SELECT c.passport_expires_on IS NOT NULL"
                                     " OR c.address_since IS NOT NULL"
                                     " OR EXISTS (SELECT 1 FROM entries e WHERE e.client_id = c.id)"
                                     " FROM clients c WHERE c.id = :client_id"},
    [SQL_DLEDGER_ROWS_CLIENT_ALONE] =
        {"dledger_rows_client_alone",
         "SELECT parole_request_id, deadline_id, kind, client_id, due_on,"
         " due_at, due_at_utc, opens_on, met, rule_id, rule_version,"
         " source_resource, source_id, title, moot_decision_id, program_code,"
         " terminates, basis, premature FROM deadlines"
         " WHERE client_id = :client_id AND parole_request_id IS NULL ORDER BY deadline_id"},
    /* Client-only rows that should not be there: their client has a request, or is gone. */
    [SQL_DLEDGER_STRAY_CLIENT_ROWS] =
        {"dledger_stray_client_rows",
         "SELECT count(*) FROM deadlines d INDEXED BY deadlines_of_client_alone"
         " WHERE d.parole_request_id IS NULL AND (NOT EXISTS (SELECT 1 FROM clients c"
         " WHERE c.id = d.client_id) OR EXISTS (SELECT 1 FROM parole_requests p"
         " WHERE p.client_id = d.client_id))"},
    [SQL_DLEDGER_DELETE_ALL] = {"dledger_delete_all", "DELETE FROM deadlines"},
    [SQL_DLEDGER_INSERT] =
        {"dledger_insert",
         "INSERT INTO deadlines (parole_request_id, deadline_id, kind, client_id, due_on, due_at,"
         " due_at_utc, opens_on, met, moot_decision_id, rule_id, rule_version, source_resource,"
         " source_id, title, program_code, terminates, basis, premature) VALUES"
         " (:parole_request_id, :deadline_id, :kind, :client_id, :due_on, :due_at, :due_at_utc,"
         " :opens_on, :met, :moot_decision_id, :rule_id, :rule_version, :source_resource,"
         " :source_id, :title, :program_code, :terminates, :basis, :premature)"},
    [SQL_DLEDGER_ROWS_RANGE] =
        {"dledger_rows_range", "SELECT parole_request_id, deadline_id, kind, client_id, due_on,"
                               " due_at, due_at_utc, opens_on, met, rule_id, rule_version,"
                               " source_resource, source_id, title, moot_decision_id, program_code,"
                               " terminates, basis, premature FROM deadlines"
                               " WHERE parole_request_id >= :from_id AND parole_request_id < :to_id"
                               " ORDER BY parole_request_id, deadline_id"},
    [SQL_DLEDGER_REQUEST_IDS] = {"dledger_request_ids",
                                 "SELECT id FROM parole_requests WHERE id >= :from_id ORDER BY id"
                                 " LIMIT :limit"},
    [SQL_DLEDGER_REQUESTS_OF_CLIENT] =
        {"dledger_requests_of_client", "SELECT id FROM parole_requests WHERE client_id = :client_id"
                                       " ORDER BY id"},
    [SQL_DLEDGER_REQUESTS_OF_PROGRAM] = {"dledger_requests_of_program",
                                         "SELECT id FROM parole_requests"
                                         " WHERE program = :program ORDER BY id"},
    [SQL_DLEDGER_FIRM] = {"dledger_firm",
                          "SELECT " DLEDGER_COLUMNS " FROM deadlines d"
                          " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
                          " WHERE" DLEDGER_FILTERS DLEDGER_AFTER DLEDGER_FIRST_OF_CLIENT
                              DLEDGER_TRIAGE_FILTERS DLEDGER_ORDER},
    [SQL_DLEDGER_FIRM_BY_MET] = {"dledger_firm_by_met",
                                 "SELECT " DLEDGER_COLUMNS " FROM deadlines d"
                                 " INDEXED BY deadlines_by_met" /* met first, then dates */
                                 " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
                                 " WHERE d.met = :met AND" DLEDGER_FILTERS DLEDGER_AFTER
                                     DLEDGER_FIRST_OF_CLIENT DLEDGER_TRIAGE_FILTERS DLEDGER_ORDER},
    [SQL_DLEDGER_FIRM_BY_KIND] = {"dledger_firm_by_kind",
                                  "SELECT " DLEDGER_COLUMNS " FROM deadlines d"
                                  /* one kind, met or not, then dates: a rare kind's page
                                   * does not wait behind every other kind's rows */
                                  " INDEXED BY deadlines_ends"
                                  " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
                                  " WHERE d.met = :met AND d.kind = :kind"
                                  " AND d.due_on >= :lo AND d.due_on <= :hi"
                                  " AND (:status IS NULL OR (" DLEDGER_STATUS
                                  ") = :status)" DLEDGER_AFTER DLEDGER_FIRST_OF_CLIENT
                                      DLEDGER_TRIAGE_FILTERS DLEDGER_ORDER},
    [SQL_DLEDGER_ASSIGNED] =
        {"dledger_assigned",
         "SELECT " DLEDGER_COLUMNS " FROM parole_requests p"
         " CROSS JOIN deadlines d ON d.parole_request_id = p.id"
         " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
         " WHERE (p.assigned_attorney_id = :assigned_to OR p.assigned_paralegal_id = :assigned_to)"
         /* unary +: the user's requests lead, each read by its key, not the firm's dates */
         " AND +d.due_on >= :lo AND +d.due_on <= :hi"
         " AND (:unmet = 0 OR d.met = 0)"
         " AND (+d.due_on, d.due_at, d.deadline_id, d.parole_request_id)"
         " > (:after_due, :after_at, :after_id, :after_request)"
         " AND (:kind IS NULL OR d.kind = :kind)"
         " AND (:status IS NULL OR (" DLEDGER_STATUS ") = :status)"
         " AND NOT (d.source_resource = 'clients' AND EXISTS (SELECT 1 FROM deadlines o"
         "  JOIN parole_requests op ON op.id = o.parole_request_id"
         "  WHERE o.deadline_id = d.deadline_id"
         "  AND o.parole_request_id < d.parole_request_id AND (op.assigned_attorney_id ="
         "  :assigned_to OR op.assigned_paralegal_id = :assigned_to)))" DLEDGER_TRIAGE_FILTERS
             DLEDGER_ORDER},
    [SQL_DLEDGER_REQUEST] = {"dledger_request",
                             "SELECT " DLEDGER_COLUMNS " FROM deadlines d"
                             " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
                             " WHERE d.parole_request_id = :request_id AND" DLEDGER_FILTERS
                                 DLEDGER_AFTER DLEDGER_TRIAGE_FILTERS DLEDGER_ORDER},
    /* Everything due for one client: under each of its requests (a client's own date once, as
     * in the firm's lists) and its own when it has no request. */
    [SQL_DLEDGER_CLIENT] = {"dledger_client",
                            "SELECT " DLEDGER_COLUMNS " FROM deadlines d"
                            " INDEXED BY deadlines_of_client"
                            " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
                            " WHERE d.client_id = :client_id AND" DLEDGER_FILTERS DLEDGER_AFTER
                                DLEDGER_FIRST_OF_CLIENT DLEDGER_TRIAGE_FILTERS DLEDGER_ORDER},
    /* One deadline by its API id (PATCH /deadlines/...): under the lowest request that holds
     * it, as the firm's lists show a client's own date. */
    [SQL_DLEDGER_ONE] = {"dledger_one",
                         "SELECT " DLEDGER_COLUMNS " FROM deadlines d INDEXED BY deadlines_by_id"
                         " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
                         " WHERE d.deadline_id = :deadline_id"
                         " ORDER BY d.parole_request_id LIMIT 1"},
    /* The search box (search.c): names through the trigram index, best ranked first, with
     * whether every word of the query is in the name as typed; a query of one or two letters
     * by the start of the folded names; identifiers through their blind indexes; receipts and
     * request ids. */
    [SQL_SEARCH_NAMES] = {"search_names",
                          "SELECT c.id, c.id AS client_id, c.family_name, c.given_name,"
                          " c.search_key, search_match(c.search_key, :q) AS exact"
                          " FROM client_names JOIN clients c ON c.id = client_names.rowid"
                          " WHERE client_names MATCH :match ORDER BY client_names.rank"
                          " LIMIT :limit"},
    [SQL_SEARCH_NAMES_SHORT] =
        {"search_names_short",
         "SELECT id, id AS client_id, family_name, given_name, search_key,"
         " search_match(search_key, :q) AS exact FROM clients"
         " WHERE search_key >= :prefix AND search_key < :prefix || char(1114111)"
         " ORDER BY search_key LIMIT :limit"},
    [SQL_SEARCH_A_NUMBER] = {"search_a_number",
                             "SELECT id, id AS client_id, family_name, given_name FROM clients"
                             " WHERE a_number_index = :a_number_index"},
    [SQL_SEARCH_PASSPORT] = {"search_passport",
                             "SELECT id, id AS client_id, family_name, given_name FROM clients"
                             " WHERE passport_number_index = :passport_number_index"},
    [SQL_SEARCH_RECEIPT] = {"search_receipt",
                            "SELECT p.id, p.client_id, p.parole_type, c.family_name, c.given_name"
                            " FROM filings f JOIN parole_requests p ON p.id = f.parole_request_id"
                            " JOIN clients c ON c.id = p.client_id"
                            " WHERE f.receipt_number = :receipt"},
    [SQL_SEARCH_REQUEST] = {"search_request",
                            "SELECT p.id, p.client_id, p.parole_type, c.family_name, c.given_name"
                            " FROM parole_requests p JOIN clients c ON c.id = p.client_id"
                            " WHERE p.id = :request_id"},
    /* Duplicate clients (search_duplicates): another client with the same identifier, and
     * what a likely one is judged by. */
    [SQL_DUPLICATE_A_NUMBER] = {"duplicate_a_number",
                                "SELECT id, family_name, given_name FROM clients"
                                " WHERE a_number_index = :a_number_index AND id != :id"
                                " ORDER BY id LIMIT 5"},
    [SQL_DUPLICATE_PASSPORT] = {"duplicate_passport",
                                "SELECT id, family_name, given_name FROM clients"
                                " WHERE passport_number_index = :passport_number_index"
                                " AND id != :id ORDER BY id LIMIT 5"},
    [SQL_DUPLICATE_FACTS] = {"duplicate_facts",
                             "SELECT id, family_name, given_name, date_of_birth, row_nonce,"
                             " distinct_from FROM clients WHERE id = :candidate"},
    /* A deadline's triage row, made (untouched, version 1) the first time someone changes it. */
    [SQL_TRIAGE_ENSURE] = {"triage_ensure",
                           "INSERT INTO deadline_triage (deadline_id, row_nonce, created_at,"
                           " updated_at) VALUES (:deadline_id, :row_nonce, :now, :now)"
                           " ON CONFLICT (deadline_id) DO NOTHING"},
    [SQL_TRIAGE_ROW] = {"triage_row", "SELECT id, row_nonce, version FROM deadline_triage"
                                      " WHERE deadline_id = :deadline_id"},
    [SQL_TRIAGE_UPDATE] = {"triage_update",
                           "UPDATE deadline_triage SET"
                           " handled_reason = CASE WHEN :keep_handled THEN handled_reason"
                           "  ELSE :handled_reason END,"
                           " handled_by = CASE WHEN :keep_handled THEN handled_by"
                           "  ELSE :handled_by END,"
                           " handled_at = CASE WHEN :keep_handled THEN handled_at"
                           "  ELSE :handled_at END,"
                           " handled_due_on = CASE WHEN :keep_handled THEN handled_due_on"
                           "  WHEN :handled_reason IS NULL THEN NULL ELSE :handled_due_on END,"
                           " snoozed_until = :snoozed_until, assignee_id = :assignee_id,"
                           " updated_at = :now, version = version + 1"
                           " WHERE id = :id AND version = :version"},
    [SQL_DLEDGER_ENDS] = {"dledger_ends",
                          "SELECT 'parole_end' AS kind, substr(parole_end_due, 1, 7) AS month,"
                          " count(*) AS ends FROM parole_request_facts"
                          " WHERE parole_end_due >= :lo AND parole_end_due <= :hi GROUP BY month"
                          " UNION ALL"
                          " SELECT 'ead_end' AS kind, substr(ead_end_due, 1, 7) AS month,"
                          " count(*) AS ends FROM parole_request_facts"
                          " WHERE ead_end_due >= :lo AND ead_end_due <= :hi GROUP BY month"},
    [SQL_FACTS_UNTALLY] = {"facts_untally",
                           "UPDATE stage_tally SET requests = requests - 1"
                           " WHERE (stage_class, stage_boundary) IN (SELECT stage_class,"
                           " stage_boundary FROM parole_request_facts"
                           " WHERE parole_request_id = :request_id)"},
    [SQL_FACTS_DELETE_REQUEST] = {"facts_delete_request", "DELETE FROM parole_request_facts"
                                                          " WHERE parole_request_id = :request_id"},
    [SQL_FACTS_REFRESH] = {"facts_refresh", "INSERT INTO parole_request_facts (" FACTS_COLUMNS
                                            ") " FACTS_WITH_CLASS},
    [SQL_FACTS_TALLY] = {"facts_tally",
                         "INSERT INTO stage_tally (stage_class, stage_boundary, requests)"
                         " SELECT stage_class, stage_boundary, count(*) FROM parole_request_facts"
                         " WHERE parole_request_id >= :from_id AND parole_request_id < :to_id"
                         " GROUP BY stage_class, stage_boundary"
                         " ON CONFLICT (stage_class, stage_boundary)"
                         " DO UPDATE SET requests = requests + excluded.requests"},
    [SQL_TALLY_PRUNE] = {"tally_prune", "DELETE FROM stage_tally WHERE requests = 0"},
    [SQL_TALLY_DELETE_ALL] = {"tally_delete_all", "DELETE FROM stage_tally"},
    [SQL_FACTS_COMPUTE] = {"facts_compute", FACTS_WITH_CLASS},
    [SQL_FACTS_STORED] = {"facts_stored",
                          "SELECT " FACTS_COLUMNS " FROM parole_request_facts"
                          " WHERE parole_request_id >= :from_id AND parole_request_id < :to_id"},
    [SQL_FACTS_DELETE_ALL] = {"facts_delete_all", "DELETE FROM parole_request_facts"},
    [SQL_STAGE_DISAGREEMENTS] = {"stage_disagreements",
                                 "SELECT count(*) FROM parole_requests p LEFT JOIN"
                                 " parole_request_facts t ON t.parole_request_id = p.id"
                                 " WHERE (" STAGE_EXPRESSION ") IS NOT (" TALLY_STAGE ")"},
    [SQL_TALLY_DISAGREEMENTS] =
        {"tally_disagreements",
         "SELECT (SELECT count(*) FROM (SELECT stage_class, stage_boundary, count(*)"
         "  FROM parole_request_facts GROUP BY 1, 2"
         "  EXCEPT SELECT stage_class, stage_boundary, requests FROM stage_tally))"
         " + (SELECT count(*) FROM (SELECT stage_class, stage_boundary, requests FROM stage_tally"
         "  EXCEPT SELECT stage_class, stage_boundary, count(*) FROM parole_request_facts"
         "  GROUP BY 1, 2))"
         " + (SELECT count(*) FROM parole_request_facts f WHERE NOT EXISTS"
         "  (SELECT 1 FROM parole_requests p WHERE p.id = f.parole_request_id))"},
    [SQL_DLEDGER_SCHEMA] = {"dledger_schema", "SELECT max(number) FROM schema_migrations"},
    [SQL_JOB_RUN_RECORD] = {"job_run_record",
                            "INSERT INTO job_runs (job, started_at, finished_at, succeeded, items,"
                            " failures) VALUES (:job, :started_at, :finished_at, :succeeded,"
                            " :items, :failures) ON CONFLICT (job) DO UPDATE SET"
                            " started_at = excluded.started_at, finished_at = excluded.finished_at,"
                            " succeeded = excluded.succeeded, items = excluded.items,"
                            " failures = excluded.failures"},
    [SQL_JOB_RUNS_LIST] = {"job_runs_list",
                           "SELECT job, started_at, finished_at, succeeded, items, failures,"
                           " CAST(strftime('%s', finished_at) AS INTEGER) AS finished_epoch,"
                           " (julianday(finished_at) - julianday(started_at)) * 86400.0"
                           " AS duration_seconds FROM job_runs ORDER BY job"},
#define WEBHOOK_ENDPOINT_COLUMNS                                                                   \
    "e.id, e.url, e.description, e.events, e.include_identifiers, e.enabled, e.created_at,"        \
    " e.updated_at, e.version,"                                                                    \
    " (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id"                       \
    "  AND d.status = 'pending') AS pending,"                                                      \
    " (SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = e.id"                       \
    "  AND d.status = 'failed') AS failed,"                                                        \
    " (SELECT max(d.delivered_at) FROM webhook_deliveries d WHERE d.endpoint_id = e.id)"           \
    "  AS last_delivered_at"
/* An enabled endpoint subscribed to the event type :type (or to every type). */
#define WEBHOOK_SUBSCRIBED                                                                         \
    "e.enabled = 1 AND EXISTS (SELECT 1 FROM json_each(e.events) j"                                \
    " WHERE j.value IN (:type, '*'))"
#define WEBHOOK_DELIVERY_COLUMNS                                                                   \
    "d.id, d.endpoint_id, d.event_id, 'evt_' || d.event_id AS webhook_id, v.type,"                 \
    " v.occurred_at, d.status, d.attempts, d.next_attempt_at, d.give_up_at, d.last_attempt_at,"    \
    " d.last_status, d.last_error, d.delivered_at"
    [SQL_WEBHOOK_ENDPOINT_GET] = {"webhook_endpoint_get",
                                  "SELECT " WEBHOOK_ENDPOINT_COLUMNS
                                  " FROM webhook_endpoints e WHERE e.id = :id"},
    [SQL_WEBHOOK_ENDPOINT_LIST] = {"webhook_endpoint_list",
                                   "SELECT " WEBHOOK_ENDPOINT_COLUMNS
                                   " FROM webhook_endpoints e WHERE e.id > :after"
                                   " ORDER BY e.id LIMIT :limit"},
    [SQL_NEXT_ID_WEBHOOK_ENDPOINTS] = {"next_id_webhook_endpoints", NEXT_ID("webhook_endpoints")},
    [SQL_WEBHOOK_ENDPOINT_INSERT] =
        {"webhook_endpoint_insert",
         "INSERT INTO webhook_endpoints (id, url, description, events, include_identifiers,"
         " enabled, secret, row_nonce, created_at, updated_at) VALUES (:id, :url, :description,"
         " :events, :include_identifiers, :enabled, :secret, :row_nonce, :now, :now)"},
    [SQL_WEBHOOK_ENDPOINT_UPDATE] =
        {"webhook_endpoint_update",
         "UPDATE webhook_endpoints SET url = :url, description = :description, events = :events,"
         " include_identifiers = :include_identifiers, enabled = :enabled, updated_at = :now,"
         " version = version + 1 WHERE id = :id AND version = :version"},
    [SQL_WEBHOOK_ENDPOINT_DELETE] = {"webhook_endpoint_delete",
                                     "DELETE FROM webhook_endpoints WHERE id = :id"},
    [SQL_WEBHOOK_ENDPOINT_SECRET] = {"webhook_endpoint_secret",
                                     "SELECT secret, row_nonce FROM webhook_endpoints"
                                     " WHERE id = :id"},
    [SQL_WEBHOOK_ENDPOINT_SET_SECRET] = {"webhook_endpoint_set_secret",
                                         "UPDATE webhook_endpoints SET secret = :secret,"
                                         " updated_at = :now, version = version + 1"
                                         " WHERE id = :id"},
    [SQL_WEBHOOK_ANY_ENDPOINT] = {"webhook_any_endpoint",
                                  "SELECT EXISTS (SELECT 1 FROM webhook_endpoints"
                                  " WHERE enabled = 1)"},
    [SQL_WEBHOOK_SUBSCRIBERS] =
        {"webhook_subscribers", "SELECT count(*) AS endpoints, coalesce(max(e.include_identifiers),"
                                " 0) AS identifiers FROM webhook_endpoints e"
                                " WHERE " WEBHOOK_SUBSCRIBED},
    [SQL_WEBHOOK_EVENT_INSERT] = {"webhook_event_insert",
                                  "INSERT INTO webhook_events (type, record_key, occurred_at,"
                                  " summary, row_nonce) VALUES (:type, :record_key, :now,"
                                  " :summary, :row_nonce)"},
    [SQL_WEBHOOK_EVENT_SET_DETAIL] = {"webhook_event_set_detail",
                                      "UPDATE webhook_events SET detail = :detail"
                                      " WHERE id = :id"},
    [SQL_WEBHOOK_DELIVERIES_INSERT] =
        {"webhook_deliveries_insert",
         "INSERT INTO webhook_deliveries (endpoint_id, event_id, record_key, next_attempt_at,"
         " give_up_at) SELECT e.id, :event_id, :record_key, :now, :give_up_at"
         " FROM webhook_endpoints e WHERE " WEBHOOK_SUBSCRIBED},
    [SQL_WEBHOOK_REQUEST_STAGE] = {"webhook_request_stage",
                                   "SELECT (" STAGE_EXPRESSION ") AS stage, p.client_id"
                                   " FROM parole_requests p WHERE p.id = :id"},
    /* The deadlines not met whose day ended in [:from, :today): they turned overdue. */
    [SQL_WEBHOOK_OVERDUE_BETWEEN] =
        {"webhook_overdue_between",
         "SELECT d.rowid AS ledger_id, d.deadline_id, d.kind, d.parole_request_id, d.client_id,"
         " d.due_on, d.rule_id, r.code AS rule_code FROM deadlines d"
         " JOIN deadline_rules r ON r.id = d.rule_id"
         " WHERE d.met = 0 AND d.due_on >= :from AND d.due_on < :today"
         " ORDER BY d.due_on, d.rowid"},
    /* The requests whose stage turned by itself in the window: a parole ending (its day
     * ended in [:from_day, :today)), a termination taking effect (in (:from_day, :today]), an
     * appointment passing (in (:from_now, :now]); with the stage before and after. */
    [SQL_WEBHOOK_STAGE_FLIPS] =
        {"webhook_stage_flips",
         "SELECT f.parole_request_id, p.client_id, 'paroled' AS stage_from,"
         " 'expired' AS stage_to FROM parole_request_facts f"
         " JOIN parole_requests p ON p.id = f.parole_request_id"
         " WHERE f.stage_class = 'approved_until' AND f.stage_boundary >= :from_day"
         " AND f.stage_boundary < :today"
         " UNION ALL SELECT f.parole_request_id, p.client_id,"
         " substr(f.stage_class, 1, length(f.stage_class) - 16), 'terminated'"
         " FROM parole_request_facts f JOIN parole_requests p ON p.id = f.parole_request_id"
         " WHERE f.stage_class IN ('approved_then_terminated', 'paroled_then_terminated')"
         " AND f.stage_boundary > :from_day AND f.stage_boundary <= :today"
         " UNION ALL SELECT f.parole_request_id, p.client_id, 'interview_scheduled',"
         " substr(f.stage_class, 16) FROM parole_request_facts f"
         " JOIN parole_requests p ON p.id = f.parole_request_id"
         " WHERE f.stage_class IN ('interview_then_draft', 'interview_then_filed',"
         " 'interview_then_receipted') AND f.stage_boundary > :from_now"
         " AND f.stage_boundary <= :now"},
    /* The stages of a set of requests, from their stored facts (for stage.changed after a
     * change of a program, a rule or a client moves requests other than its own). */
    [SQL_WEBHOOK_STAGES_ALL] = {"webhook_stages_all",
                                "SELECT t.parole_request_id, p.client_id, " TALLY_STAGE
                                " AS stage FROM parole_request_facts t"
                                " JOIN parole_requests p ON p.id = t.parole_request_id"},
    [SQL_WEBHOOK_STAGES_OF_PROGRAM] = {"webhook_stages_of_program",
                                       "SELECT t.parole_request_id, p.client_id, " TALLY_STAGE
                                       " AS stage FROM parole_requests p"
                                       " JOIN parole_request_facts t"
                                       " ON t.parole_request_id = p.id"
                                       " WHERE p.program = :program"},
    [SQL_WEBHOOK_STAGES_OF_CLIENT] = {"webhook_stages_of_client",
                                      "SELECT t.parole_request_id, p.client_id, " TALLY_STAGE
                                      " AS stage FROM parole_requests p"
                                      " JOIN parole_request_facts t"
                                      " ON t.parole_request_id = p.id"
                                      " WHERE p.client_id = :client_id"},
    /* The deliveries to attempt now: pending, due, their endpoint enabled, and no earlier event
     * of the same record still pending for that endpoint (in order per record). */
    [SQL_WEBHOOK_DUE] = {"webhook_due",
                         "SELECT d.id, d.endpoint_id, d.event_id, d.attempts, d.give_up_at,"
                         " e.url, e.secret, e.row_nonce AS endpoint_nonce, e.include_identifiers,"
                         " v.type, v.occurred_at, v.summary, v.detail,"
                         " v.row_nonce AS event_nonce"
                         " FROM webhook_deliveries d"
                         " JOIN webhook_endpoints e ON e.id = d.endpoint_id"
                         " JOIN webhook_events v ON v.id = d.event_id"
                         " WHERE d.status = 'pending' AND d.next_attempt_at <= :now"
                         " AND e.enabled = 1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o"
                         "  WHERE o.endpoint_id = d.endpoint_id AND o.record_key = d.record_key"
                         "  AND o.status = 'pending' AND o.event_id < d.event_id)"
                         " ORDER BY d.next_attempt_at, d.id LIMIT :limit"},
    [SQL_WEBHOOK_CLAIM] = {"webhook_claim",
                           "UPDATE webhook_deliveries SET next_attempt_at = :lease,"
                           " leased_until = :lease"
                           " WHERE id = :id AND status = 'pending' AND next_attempt_at <= :now"},
    /* A delivery whose secret or payload does not open with this key: failed at once. */
    [SQL_WEBHOOK_FAIL_NOW] = {"webhook_fail_now",
                              "UPDATE webhook_deliveries SET status = 'failed',"
                              " last_error = :error, leased_until = NULL WHERE id = :id"},
    [SQL_WEBHOOK_ATTEMPT_INSERT] = {"webhook_attempt_insert",
                                    "INSERT INTO webhook_attempts (delivery_id, attempted_at,"
                                    " status, error, duration_ms) VALUES (:id, :now, :status,"
                                    " :error, :duration_ms)"},
    [SQL_WEBHOOK_DELIVERY_RESULT] =
        {"webhook_delivery_result",
         "UPDATE webhook_deliveries SET status = :state, attempts = attempts + 1,"
         " last_attempt_at = :now, last_status = :status, last_error = :error,"
         " next_attempt_at = :next_attempt_at,"
         " delivered_at = CASE WHEN :state = 'delivered' THEN :now ELSE delivered_at END,"
         " leased_until = NULL WHERE id = :id AND leased_until = :lease"},
    [SQL_WEBHOOK_GIVE_UP] = {"webhook_give_up",
                             "UPDATE webhook_deliveries SET status = 'failed',"
                             " last_error = coalesce(last_error, 'never attempted')"
                             " WHERE status = 'pending' AND give_up_at <= :now"},
    /* Events whose deliveries all ended (or that have none) and that are older than :before. */
    [SQL_WEBHOOK_PURGE] = {"webhook_purge",
                           "DELETE FROM webhook_events WHERE occurred_at < :before"
                           " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d"
                           " WHERE d.event_id = webhook_events.id AND d.status = 'pending')"},
    [SQL_WEBHOOK_DELIVERY_LIST] =
        {"webhook_delivery_list",
         "SELECT " WEBHOOK_DELIVERY_COLUMNS " FROM webhook_deliveries d"
         " JOIN webhook_events v ON v.id = d.event_id WHERE d.endpoint_id = :endpoint_id"
         " AND (:status IS NULL OR d.status = :status)"
         " AND d.id < coalesce(nullif(:after, 0), 9223372036854775807)"
         " ORDER BY d.id DESC LIMIT :limit"},
    [SQL_WEBHOOK_DELIVERY_GET] = {"webhook_delivery_get",
                                  "SELECT " WEBHOOK_DELIVERY_COLUMNS " FROM webhook_deliveries d"
                                  " JOIN webhook_events v ON v.id = d.event_id"
                                  " WHERE d.endpoint_id = :endpoint_id AND d.id = :id"},
    [SQL_WEBHOOK_ATTEMPT_LIST] = {"webhook_attempt_list",
                                  "SELECT attempted_at, status, error, duration_ms"
                                  " FROM webhook_attempts WHERE delivery_id = :id ORDER BY id"},
    /* Not while an attempt holds it (a post under way). */
    [SQL_WEBHOOK_REPLAY] = {"webhook_replay",
                            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0,"
                            " next_attempt_at = :now, give_up_at = :give_up_at"
                            " WHERE endpoint_id = :endpoint_id AND id = :id"
                            " AND (leased_until IS NULL OR leased_until <= :now)"},
    [SQL_WEBHOOK_BACKLOG] = {"webhook_backlog",
                             "SELECT (SELECT count(*) FROM webhook_deliveries"
                             "  WHERE status = 'pending') AS pending,"
                             " (SELECT count(*) FROM webhook_deliveries WHERE status = 'failed')"
                             "  AS failed,"
                             " (SELECT CAST(strftime('%s', min(v.occurred_at)) AS INTEGER)"
                             "  FROM webhook_deliveries d JOIN webhook_events v"
                             "  ON v.id = d.event_id WHERE d.status = 'pending') AS oldest_epoch"},
#define USCIS_STATUS_COLUMNS                                                                       \
    "s.id, s.parole_request_id, s.receipt_number, s.form_type, s.status_text_en,"                  \
    " s.status_desc_en, s.status_text_es, s.status_desc_es, s.uscis_date, s.fetched_at,"           \
    " s.proposes, s.proposal_state, s.updated_at, s.version"
/* The latest decision's outcome of the request p (NULL: none). */
#define USCIS_LATEST_OUTCOME                                                                       \
    "(SELECT d.outcome FROM decisions d WHERE d.parole_request_id = f.parole_request_id"           \
    " ORDER BY d.decided_on DESC, d.id DESC LIMIT 1)"
    /* The receipt numbers to check, least recently checked first: a filing's, under a request
     * not closed by its latest decision, or closed but with a deadline not met. */
    [SQL_USCIS_RECEIPTS_DUE] =
        {"uscis_receipts_due",
         "SELECT f.receipt_number, f.parole_request_id, c.last_checked_at FROM filings f"
         " LEFT JOIN uscis_receipt_checks c ON c.receipt_number = f.receipt_number"
         " WHERE f.receipt_number IS NOT NULL AND (" USCIS_LATEST_OUTCOME
         "  IS NULL OR " USCIS_LATEST_OUTCOME " NOT IN ('denied', 'withdrawn',"
         "  'administratively_closed', 'terminated') OR EXISTS (SELECT 1 FROM deadlines t"
         "  WHERE t.parole_request_id = f.parole_request_id AND t.met = 0))"
         " ORDER BY c.last_checked_at IS NOT NULL, c.last_checked_at, f.id"},
    [SQL_USCIS_LATEST_OF_RECEIPT] = {"uscis_latest_of_receipt",
                                     "SELECT status_text_en, status_desc_en, uscis_date"
                                     " FROM uscis_statuses WHERE receipt_number = :receipt_number"
                                     " ORDER BY id DESC LIMIT 1"},
    [SQL_USCIS_PROPOSAL_OF] = {"uscis_proposal_of",
                               "SELECT proposes FROM uscis_status_proposals"
                               " WHERE lower(status_text_en) = lower(trim(:status_text_en))"},
    [SQL_USCIS_STATUS_INSERT] =
        {"uscis_status_insert",
         "INSERT INTO uscis_statuses (parole_request_id, receipt_number, form_type,"
         " status_text_en, status_desc_en, status_text_es, status_desc_es, uscis_date,"
         " fetched_at, proposes, proposal_state, updated_at) VALUES (:parole_request_id,"
         " :receipt_number, :form_type, :status_text_en, :status_desc_en, :status_text_es,"
         " :status_desc_es, :uscis_date, :now, :proposes,"
         " CASE WHEN :proposes IS NULL THEN NULL ELSE 'open' END, :now)"},
    [SQL_USCIS_STATUS_GET] = {"uscis_status_get",
                              "SELECT " USCIS_STATUS_COLUMNS " FROM uscis_statuses s"
                              " WHERE s.id = :id AND s.parole_request_id = :parent_id"},
    [SQL_USCIS_STATUS_LIST] = {"uscis_status_list",
                               "SELECT " USCIS_STATUS_COLUMNS " FROM uscis_statuses s"
                               " WHERE s.parole_request_id = :parent_id"
                               " AND (:proposal_state IS NULL"
                               "  OR s.proposal_state = :proposal_state)"
                               " AND s.id < coalesce(nullif(:after, 0), 9223372036854775807)"
                               " ORDER BY s.id DESC LIMIT :limit"},
    [SQL_USCIS_STATUS_SET_PROPOSAL] = {"uscis_status_set_proposal",
                                       "UPDATE uscis_statuses SET proposal_state ="
                                       " :proposal_state, updated_at = :now,"
                                       " version = version + 1 WHERE id = :id"
                                       " AND version = :version"},
    [SQL_USCIS_CHECK_PUT] = {"uscis_check_put",
                             "INSERT INTO uscis_receipt_checks (receipt_number, last_checked_at,"
                             " last_outcome, last_error) VALUES (:receipt_number, :now, :outcome,"
                             " :error) ON CONFLICT (receipt_number) DO UPDATE SET"
                             " last_checked_at = excluded.last_checked_at,"
                             " last_outcome = excluded.last_outcome,"
                             " last_error = excluded.last_error"},
    [SQL_USCIS_QUOTA_TAKE] = {"uscis_quota_take",
                              "INSERT INTO uscis_quota (day, used) VALUES (:day, 1)"
                              " ON CONFLICT (day) DO UPDATE SET used = used + 1"
                              " WHERE used < :quota"},
    [SQL_USCIS_TO_REMIND] = {"uscis_to_remind",
                             "SELECT s.id, s.parole_request_id, s.status_text_en, s.uscis_date,"
                             " s.fetched_at, s.proposes FROM uscis_statuses s"
                             " WHERE s.reminded_at IS NULL ORDER BY s.id"},
    [SQL_USCIS_REMINDED] = {"uscis_reminded", "UPDATE uscis_statuses SET reminded_at = :now"
                                              " WHERE reminded_at IS NULL AND id <= :id"},
    /* The database file's size as SQLite counts it (pages in use and free). */
    [SQL_DATABASE_SIZE] = {"database_size",
                           "SELECT page_count * page_size FROM pragma_page_count(),"
                           " pragma_page_size()"},
    /* Keys older than a day are forgotten (the index on created_at finds them). */
    [SQL_IDEMPOTENCY_PURGE] = {"idempotency_purge",
                               "DELETE FROM idempotency_keys WHERE created_at <"
                               " strftime('%Y-%m-%dT%H:%M:%SZ', :now, '-1 day')"},
    [SQL_IDEMPOTENCY_GET] = {"idempotency_get",
                             "SELECT id, fingerprint, status, is_problem, location, etag, body,"
                             " row_nonce FROM idempotency_keys"
                             " WHERE principal = :principal AND key_hash = :key_hash"},
    [SQL_IDEMPOTENCY_RESERVE] = {"idempotency_reserve",
                                 "INSERT INTO idempotency_keys (principal, key_hash, fingerprint,"
                                 " created_at) VALUES (:principal, :key_hash, :fingerprint, :now)"},
    [SQL_IDEMPOTENCY_NONCE] = {"idempotency_nonce",
                               "SELECT row_nonce FROM idempotency_keys WHERE id = :id"},
    [SQL_IDEMPOTENCY_FINISH] = {"idempotency_finish",
                                "UPDATE idempotency_keys SET status = :status,"
                                " is_problem = :is_problem, location = :location, etag = :etag,"
                                " body = :body WHERE id = :id"},
    [SQL_IDEMPOTENCY_RELEASE] = {"idempotency_release",
                                 "DELETE FROM idempotency_keys WHERE id = :id"},
    [SQL_DLEDGER_BASIS_GET] = {"dledger_basis_get",
                               "SELECT basis FROM deadline_ledger_basis WHERE slot = 1"},
    [SQL_DLEDGER_BASIS_PUT] = {"dledger_basis_put",
                               "INSERT INTO deadline_ledger_basis (slot, basis, built_at)"
                               " VALUES (1, :basis, :now) ON CONFLICT (slot) DO UPDATE"
                               " SET basis = excluded.basis, built_at = excluded.built_at"},
    /* Every reminder due on :today, with its most urgent lead time (from the rule's own
     * lead_times as data): an unmet deadline of an open request that is past its date (lead -1)
     * or whose days left fit one of its rule's lead times (the smallest such). With whether the
     * standard-output digest and the webhook already carry it, and the assigned staff's
     * addresses (enabled accounts only). In the API's order. */
    [SQL_REMIND_DUE] =
        {"remind_due",
         "SELECT x.*, EXISTS (SELECT 1 FROM reminder_ledger l WHERE l.deadline_id = x.deadline_id"
         " AND l.due_on = x.due_on AND l.lead_time = x.lead AND l.channel = 'stdout'"
         " AND l.recipient = 'stdout' AND l.status = 'sent') AS printed_before,"
         " EXISTS (SELECT 1 FROM reminder_ledger l WHERE l.deadline_id = x.deadline_id"
         " AND l.due_on = x.due_on AND l.lead_time = x.lead AND l.channel = 'webhook'"
         " AND l.recipient = 'webhook' AND l.status = 'sent') AS posted_before,"
         " ua.email AS attorney_email, up.email AS paralegal_email"
         " FROM (SELECT " DLEDGER_COLUMNS ","
         " CAST(julianday(d.due_on) - julianday(:today) AS INTEGER) AS days_left,"
         " CASE WHEN d.due_on < :today THEN -1 ELSE (SELECT min(j.value)"
         "  FROM json_each(r.lead_times) j WHERE j.value >= julianday(d.due_on)"
         "  - julianday(:today)) END AS lead"
         " FROM deadlines d INDEXED BY deadlines_by_met"
         " JOIN deadline_rules r ON r.id = d.rule_id" DLEDGER_TRIAGE_JOIN
         /* a deadline someone marked handled reminds no one */
         " WHERE d.met = 0 AND d.due_on <= :horizon AND NOT " DLEDGER_HANDLED
             DLEDGER_FIRST_OF_CLIENT ") x"
         /* the request's assignees, each read once by key (enabled accounts only) */
         " LEFT JOIN parole_requests p ON p.id = x.parole_request_id" /* none: the client's */
         " LEFT JOIN users ua ON ua.id = p.assigned_attorney_id AND ua.disabled = 0"
         " LEFT JOIN users up ON up.id = p.assigned_paralegal_id AND up.disabled = 0"
         " WHERE x.lead IS NOT NULL"
         " ORDER BY x.due_on, x.due_at, x.deadline_id, x.parole_request_id"},
    [SQL_LEDGER_STATUS] = {"ledger_status",
                           "SELECT status FROM reminder_ledger WHERE deadline_id = :deadline_id"
                           " AND due_on = :due_on AND lead_time = :lead_time"
                           " AND channel = :channel AND recipient = :recipient"},
    [SQL_LEDGER_RECORD] =
        {"ledger_record",
         "INSERT INTO reminder_ledger (deadline_id, due_on, lead_time, channel, recipient, status,"
         " attempts, last_error, first_at, sent_at) VALUES (:deadline_id, :due_on, :lead_time,"
         " :channel, :recipient, :status, 1, :last_error, :now,"
         " CASE WHEN :status = 'sent' THEN :now END)"
         " ON CONFLICT (deadline_id, due_on, lead_time, channel, recipient) DO UPDATE SET"
         " status = excluded.status, attempts = attempts + 1, last_error = excluded.last_error,"
         " sent_at = excluded.sent_at"},
    [SQL_REMIND_ADMINS] = {"remind_admins", "SELECT email FROM users WHERE role = 'admin'"
                                            " AND disabled = 0 ORDER BY email"},
    [SQL_FEED_PUT] = {"feed_put",
                      "INSERT INTO calendar_feeds (user_id, token_hash, created_at)"
                      " VALUES (:user_id, :token_hash, :now) ON CONFLICT (user_id) DO UPDATE"
                      " SET token_hash = excluded.token_hash, created_at = excluded.created_at"},
    [SQL_FEED_DELETE] = {"feed_delete", "DELETE FROM calendar_feeds WHERE user_id = :user_id"},
    [SQL_FEED_LOOKUP] = {"feed_lookup",
                         "SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id"
                         " WHERE f.token_hash = :token_hash AND u.disabled = 0"},
    [SQL_ASSIGNEE_LIST] = {"assignee_list",
                           "SELECT id, name, role FROM users WHERE id > :after AND disabled = 0"
                           " AND role <> 'viewer' ORDER BY id LIMIT :limit"},
    [SQL_REQUEST_ASSIGNEE_KEPT] =
        {"request_assignee_kept",
         "SELECT count(*) FROM parole_requests WHERE id = :id AND CASE :field"
         " WHEN 'assigned_attorney_id' THEN assigned_attorney_id IS :value"
         " WHEN 'assigned_paralegal_id' THEN assigned_paralegal_id IS :value ELSE 0 END"},
    [SQL_ACTIVE_ADMIN_COUNT] = {"active_admin_count", "SELECT count(*) FROM users"
                                                      " WHERE role = 'admin' AND disabled = 0"},
    [SQL_STAGE_COUNTS] = {"stage_counts",
                          "SELECT " TALLY_STAGE " AS stage, sum(requests) AS requests"
                          " FROM stage_tally t GROUP BY stage"},
    /* The next instant after :now at which a tallied request's stage turns by itself (an
     * interview passing); '' when none is ahead. One index seek per interview class. */
    [SQL_TALLY_NEXT_FLIP] =
        {"tally_next_flip", "SELECT coalesce(min(b), '') AS next_flip FROM ("
                            " SELECT min(stage_boundary) AS b FROM stage_tally"
                            " WHERE stage_class = 'interview_then_draft' AND stage_boundary > :now"
                            " UNION ALL SELECT min(stage_boundary) FROM stage_tally"
                            " WHERE stage_class = 'interview_then_filed' AND stage_boundary > :now"
                            " UNION ALL SELECT min(stage_boundary) FROM stage_tally WHERE"
                            " stage_class = 'interview_then_receipted' AND stage_boundary > :now)"},
    [SQL_SETTINGS_ALL] = {"settings_all", "SELECT key, value, updated_at FROM settings"},
    [SQL_SETTING_PUT] = {"setting_put",
                         "INSERT INTO settings (key, value, updated_at) VALUES (:key, :value,"
                         " :now) ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                         " updated_at = excluded.updated_at"},
};

const char *sql_text(enum sql_id id)
{
    return catalogue[id].text;
}

const char *sql_name(enum sql_id id)
{
    return catalogue[id].name;
}
