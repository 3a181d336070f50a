/* deadline_compute: each deadline of one parole request, computed from its events and the rules
 * in force on the date of each event (deadline_rules), as a pure function of already-loaded
 * values (see deadline_compute.h). Domain layer: uses dates and jansson; no database (the store
 * loads the rows: store/deadline_engine.c), no clock (today and now are inputs), no HTTP. */
#include "deadline_compute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "ead_category.h"

/* The request a deadline belongs to, as the rules read it (program and location "" when
 * null). */
struct request_facts {
    int64_t id, client_id;
    char program[40], location[16];
};

/* How the request's program's termination bears on its parole (see deadline_compute.h). */
struct termination {
    const json_t *program;  /* the program row; NULL: its termination changes nothing here */
    int terminates;         /* parole ends on the termination date, no exception applying */
    char ends_on[DATE_LEN]; /* the parole end the program sets ("": the parole's own stands) */
};

/* The parole end of an approved request: its own (the I-94 or approval date) and what the
 * program's termination makes of it. */
struct parole_end {
    char own[DATE_LEN];       /* "" when none is known */
    struct termination ended; /* the program's say */
    char effective[DATE_LEN]; /* ended.ends_on when set, else own */
};

/* A date `days` after (or before, when negative) `date`, into out. */
static void shift(const char *date, int64_t days, char out[DATE_LEN])
{
    struct civil_date d;

    if (dates_parse(date, &d) != 0) {
        snprintf(out, DATE_LEN, "%s", date);
        return;
    }
    dates_format(dates_add_days(d, days), out);
}

/* The rule of `kind` in force on `anchor` for `program` and, for a work permit, its
 * `category` (NULL for other kinds: a rule limited to a category never applies to them):
 * enabled, effective_from <= anchor < effective_to, a rule limited to the program or category
 * before a general one, then the latest effective_from. Returns a borrowed reference or NULL. */
static json_t *rule_for_category(const json_t *rules, const char *kind, const char *program,
                                 const char *category, const char *anchor)
{
    json_t *best = NULL, *rule;
    size_t i;
    int best_specific = -1;

    json_array_foreach(rules, i, rule)
    {
        const char *rule_program = json_string_value(json_object_get(rule, "program"));
        const char *rule_category = json_string_value(json_object_get(rule, "ead_category"));
        const char *from = json_string_value(json_object_get(rule, "effective_from"));
        const char *to = json_string_value(json_object_get(rule, "effective_to"));
        int specific = (rule_program != NULL) + (rule_category != NULL);

        if (strcmp(json_string_value(json_object_get(rule, "kind")), kind) != 0 ||
            !json_is_true(json_object_get(rule, "enabled")))
            continue;
        if (rule_program != NULL && (program == NULL || strcmp(rule_program, program) != 0))
            continue;
        if (rule_category != NULL && (category == NULL || strcmp(rule_category, category) != 0))
            continue;
        if (strcmp(from, anchor) > 0 || (to != NULL && strcmp(anchor, to) >= 0))
            continue;
        if (best == NULL || specific > best_specific ||
            (specific == best_specific &&
             strcmp(from, json_string_value(json_object_get(best, "effective_from"))) > 0)) {
            best = rule;
            best_specific = specific;
        }
    }
    return best;
}

/* The rule of `kind` in force on `anchor` for `program` (rule_for_category, no category). */
static json_t *rule_for(const json_t *rules, const char *kind, const char *program,
                        const char *anchor)
{
    return rule_for_category(rules, kind, program, NULL, anchor);
}

/* The status of a date deadline: met, or by its date against today. */
static const char *status_of(int met, const char *due_on, const char *today)
{
    int order = strcmp(due_on, today);

    if (met)
        return "met";
    return order > 0 ? "upcoming" : (order == 0 ? "due_today" : "overdue");
}

/* A member of a rule row, or JSON null when the row has none (a borrowed reference). */
static json_t *rule_member(const json_t *rule, const char *key)
{
    json_t *value = json_object_get(rule, key);

    return value ? value : json_null();
}

/* An appointment's time: as scheduled (RFC 3339 with the firm's offset) and in UTC. */
struct appointment_time {
    const char *local;
    const char *utc;
};

/* Append one full deadline record to out (see deadline_compute.h). at is NULL for a date
 * deadline; opens_on may be NULL. The record is met exactly when its status is "met". */
static void add(json_t *out, const struct request_facts *r, const json_t *rule, const char *kind,
                const char *resource, int64_t source_id, const char *due_on,
                const struct appointment_time *at, const char *opens_on, const char *status,
                const char *title)
{
    char id[96];

    snprintf(id, sizeof(id), "%s/%lld/%s", resource, (long long)source_id, kind);
    json_array_append_new(
        out,
        json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:I, s:I, s:{s:s, s:I}, s:{s:O, s:O, s:O, "
                  "s:O, s:O}, s:s, s:b, s:o}",
                  "id", id, "kind", kind, "due_on", due_on, "due_at",
                  at ? json_string(at->local) : json_null(), "opens_on",
                  opens_on ? json_string(opens_on) : json_null(), "status", status,
                  "parole_request_id", (json_int_t)r->id, "client_id", (json_int_t)r->client_id,
                  "source", "resource", resource, "id", (json_int_t)source_id, "rule", "id",
                  json_object_get(rule, "id"), "code", json_object_get(rule, "code"),
                  "citation_source", json_object_get(rule, "citation_source"), "citation_date",
                  json_object_get(rule, "citation_date"), "version", rule_member(rule, "version"),
                  "title", title, "met", strcmp(status, "met") == 0, "due_at_utc",
                  at ? json_string(at->utc) : json_null()));
    json_t *record = json_array_get(out, json_array_size(out) - 1);

    json_object_set_new(record, "program_code", json_null());
    json_object_set_new(record, "terminates", json_false());
    json_object_set_new(record, "moot_decision_id", json_null());
    json_object_set_new(record, "basis", json_null());
    json_object_set_new(record, "premature", json_false());
}

/* The deadline added last to out, to set a member the rules decide. Borrowed. */
static json_t *last_added(json_t *out)
{
    return json_array_get(out, json_array_size(out) - 1);
}

/* The deadline added last to out is moot: `decision` settled it before it was met. Its status
 * is moot and it counts as done (met), with the decision as its reason. */
static void moot_by(json_t *out, const json_t *decision)
{
    json_t *record = last_added(out);

    json_object_set_new(record, "status", json_string("moot"));
    json_object_set_new(record, "met", json_true());
    json_object_set(record, "moot_decision_id", json_object_get(decision, "id"));
}

/* Cite `program` (its code) on the deadline added last to out: its date is the program's
 * termination (terminates) or follows from it. */
static void cite_program(json_t *out, const json_t *program, int terminates)
{
    json_t *record = last_added(out);

    json_object_set(record, "program_code", json_object_get(program, "code"));
    json_object_set_new(record, "terminates", json_boolean(terminates));
}

/* Text of a member of a row (NULL when null). */
static const char *text(const json_t *row, const char *key)
{
    return json_string_value(json_object_get(row, key));
}

/* The latest decision (NULL when none). */
static const json_t *latest_decision(const json_t *decisions)
{
    size_t n = json_array_size(decisions);

    return n ? json_array_get(decisions, n - 1) : NULL;
}

/* The latest approval (NULL when none), whatever decisions came after it: the parole it granted
 * and its windows outlive a later decision. */
static const json_t *latest_approval(const json_t *decisions)
{
    for (size_t n = json_array_size(decisions); n > 0; n--) {
        const json_t *d = json_array_get(decisions, n - 1);

        if (strcmp(text(d, "outcome"), "approved") == 0)
            return d;
    }
    return NULL;
}

/* True when `decision` settles an event recorded on `recorded_on` (a firm-local date; NULL:
 * unknown, so any decision does): the decision came on or after it. */
static int settles(const json_t *decision, const char *recorded_on)
{
    return decision != NULL &&
           (recorded_on == NULL || strcmp(text(decision, "decided_on"), recorded_on) >= 0);
}

/* True when a filing is a re-parole request: an I-131 (or I-131F). */
static int is_parole_form(const json_t *filing)
{
    const char *form = text(filing, "form");

    return form == NULL || strcmp(form, "I-131") == 0 || strcmp(form, "I-131F") == 0;
}

/* RFE and NOID response deadlines: due on the date the notice prints (basis "notice"), else the
 * rule's longest allowance from the issue date (basis "computed_maximum"); moot when a decision
 * came on or after the issue date with no response recorded. */
static void rfe_deadlines(const struct request_facts *r, const json_t *rfes,
                          const json_t *decisions, const json_t *rules, const char *today,
                          json_t *out)
{
    const json_t *decision = latest_decision(decisions);
    json_t *rfe;
    size_t i;

    json_array_foreach(rfes, i, rfe)
    {
        int noid = strcmp(text(rfe, "kind"), "noid") == 0;
        const char *kind = noid ? "noid_response" : "rfe_response";
        const json_t *rule = rule_for(rules, kind, r->program, text(rfe, "issued_on"));
        char due[DATE_LEN];

        if (rule == NULL)
            continue;
        if (text(rfe, "response_due_on") != NULL)
            snprintf(due, sizeof(due), "%s", text(rfe, "response_due_on"));
        else
            shift(text(rfe, "issued_on"),
                  json_integer_value(json_object_get(rule, "days")) +
                      (json_is_true(json_object_get(rfe, "mailed"))
                           ? json_integer_value(json_object_get(rule, "mailed_extra_days"))
                           : 0),
                  due);
        add(out, r, rule, kind, "rfes", json_integer_value(json_object_get(rfe, "id")), due, NULL,
            NULL, status_of(text(rfe, "responded_on") != NULL, due, today),
            noid ? "NOID response due" : "RFE response due");
        json_object_set_new(
            last_added(out), "basis",
            json_string(text(rfe, "response_due_on") ? "notice" : "computed_maximum"));
        if (text(rfe, "responded_on") == NULL && decision != NULL &&
            strcmp(text(decision, "decided_on"), text(rfe, "issued_on")) >= 0)
            moot_by(out, decision);
    }
}

/* True when an appointment of `kind` other than `missed` is scheduled (or held) after the
 * instant `after_utc`: a missed one was rescheduled. */
static int rescheduled_after(const json_t *interviews, const json_t *missed, const char *kind,
                             const char *after_utc)
{
    json_t *row;
    size_t i;

    json_array_foreach(interviews, i, row)
    {
        const char *outcome = text(row, "outcome");

        /* a later one missed again still rescheduled this one (it has its own deadline) */
        if (row != missed && strcmp(text(row, "kind"), kind) == 0 &&
            strcmp(outcome, "cancelled") != 0 &&
            strcmp(text(row, "scheduled_at_utc"), after_utc) > 0)
            return 1;
    }
    return 0;
}

/* A missed appointment: abandonment looms, so an urgent deadline at the appointment's own time
 * (overdue at once), met when a later appointment of the same kind is scheduled or the request
 * is decided on or after the missed day. */
static void missed_appointment(const struct request_facts *r, const json_t *interviews,
                               const json_t *row, const json_t *decisions, const json_t *rules,
                               const char *today, const char *now, json_t *out)
{
    const char *kind = text(row, "kind"), *local_date = text(row, "local_date");
    const char *utc = text(row, "scheduled_at_utc");
    struct appointment_time at = {text(row, "scheduled_at"), utc};
    const json_t *rule = rule_for(rules, "missed_appointment", r->program, local_date);
    int met = rescheduled_after(interviews, row, kind, utc) ||
              settles(latest_decision(decisions), local_date);
    const char *status;

    if (rule == NULL)
        return;
    if (met)
        status = "met";
    else if (strcmp(utc, now) < 0)
        status = "overdue";
    else
        status = strcmp(local_date, today) == 0 ? "due_today" : "upcoming";
    add(out, r, rule, "missed_appointment", "interviews",
        json_integer_value(json_object_get(row, "id")), local_date, &at, NULL, status,
        strcmp(kind, "biometrics") == 0 ? "Biometrics missed: reschedule at once"
                                        : "Interview missed: reschedule at once");
}

/* Interview and biometrics appointments (a cancelled one makes none; a missed one its own
 * urgent deadline); an appointment not held is moot once a decision comes on or after the day
 * it was recorded (one recorded after the decision is a new step, not settled by it). */
static void appointment_deadlines(const struct request_facts *r, const json_t *interviews,
                                  const json_t *decisions, const json_t *rules, const char *today,
                                  const char *now, json_t *out)
{
    const json_t *decision = latest_decision(decisions);
    json_t *row;
    size_t i;

    json_array_foreach(interviews, i, row)
    {
        const char *outcome = text(row, "outcome"), *kind = text(row, "kind");
        const char *local_date = text(row, "local_date");
        const json_t *rule;
        const char *status;
        int completed = strcmp(outcome, "completed") == 0;
        struct appointment_time at = {text(row, "scheduled_at"), text(row, "scheduled_at_utc")};

        if (strcmp(outcome, "missed") == 0)
            missed_appointment(r, interviews, row, decisions, rules, today, now, out);
        if (strcmp(outcome, "cancelled") == 0 || strcmp(outcome, "missed") == 0)
            continue;
        rule = rule_for(rules, "appointment", r->program, local_date);
        if (rule == NULL)
            continue;
        if (completed)
            status = "met";
        else if (strcmp(text(row, "scheduled_at_utc"), now) < 0)
            status = "overdue"; /* past, and no outcome recorded */
        else
            status = strcmp(local_date, today) == 0 ? "due_today" : "upcoming";
        add(out, r, rule, kind, "interviews", json_integer_value(json_object_get(row, "id")),
            local_date, &at, NULL, status,
            strcmp(kind, "biometrics") == 0 ? "Biometrics appointment" : "Interview");
        if (!completed && settles(decision, text(row, "recorded_on")))
            moot_by(out, decision);
    }
}

/* The parole end of the request into out ("" when none): the latest parole/I-94 expiry, else
 * an inside-US approval's valid_until. */
static void parole_end_of(const struct request_facts *r, const json_t *expirations,
                          const json_t *decisions, char out[DATE_LEN])
{
    const json_t *decision = latest_approval(decisions);
    json_t *row;
    size_t i;

    out[0] = '\0';
    json_array_foreach(expirations, i, row)
    {
        const char *kind = text(row, "kind");

        if ((strcmp(kind, "parole") == 0 || strcmp(kind, "i94") == 0) &&
            strcmp(text(row, "expires_on"), out) > 0)
            snprintf(out, DATE_LEN, "%s", text(row, "expires_on"));
    }
    if (out[0] == '\0' && decision != NULL && strcmp(text(decision, "outcome"), "approved") == 0 &&
        strcmp(r->location, "inside_us") == 0 && text(decision, "valid_until") != NULL)
        snprintf(out, DATE_LEN, "%s", text(decision, "valid_until"));
}

/* True when an expiry of one of the kinds (NULL-terminated) ends after `date`. */
static int later_expiry(const json_t *expirations, const char *const *kinds, const char *date)
{
    json_t *row;
    size_t i;

    json_array_foreach(expirations, i, row)
    {
        for (const char *const *k = kinds; *k; k++)
            if (strcmp(text(row, "kind"), *k) == 0 && strcmp(text(row, "expires_on"), date) > 0)
                return 1;
    }
    return 0;
}

/* True when a work permit of the same category (none recorded: EAD_CATEGORY_UNRECORDED) as
 * `category` ends after `date`: a newer card of that kind replaced it. */
static int later_card(const json_t *expirations, const char *category, const char *date)
{
    const char *mine = category ? category : EAD_CATEGORY_UNRECORDED;
    json_t *row;
    size_t i;

    json_array_foreach(expirations, i, row)
    {
        const char *theirs = text(row, "ead_category");

        if (strcmp(text(row, "kind"), "ead") == 0 &&
            strcmp(theirs ? theirs : EAD_CATEGORY_UNRECORDED, mine) == 0 &&
            strcmp(text(row, "expires_on"), date) > 0)
            return 1;
    }
    return 0;
}

/* True when a parole or I-94 expiry was recorded after the expiration `id` (the client
 * travelled and was admitted). */
static int entered_after(const json_t *expirations, int64_t id)
{
    json_t *row;
    size_t i;

    json_array_foreach(expirations, i, row)
    {
        const char *kind = text(row, "kind");

        if ((strcmp(kind, "parole") == 0 || strcmp(kind, "i94") == 0) &&
            json_integer_value(json_object_get(row, "id")) > id)
            return 1;
    }
    return 0;
}

/* A filing of exception `exception` (kind filing_on_or_before: its form, made on or before its
 * date, and not rejected). Returns 1 when one or more filings qualify, with the date the last of
 * them was decided into decided ("" while one is pending), else 0. */
static int exception_filings(const json_t *exception, const json_t *filings, char decided[DATE_LEN])
{
    const char *form = text(exception, "form"), *by = text(exception, "on_or_before");
    int found = 0, pending = 0;
    json_t *row;
    size_t i;

    decided[0] = '\0';
    if (strcmp(text(exception, "kind") ? text(exception, "kind") : "", "filing_on_or_before") !=
            0 ||
        form == NULL || by == NULL)
        return 0;
    json_array_foreach(filings, i, row)
    {
        const char *row_form = text(row, "form"), *on = text(row, "decided_on");

        if (row_form == NULL || strcmp(row_form, form) != 0 ||
            strcmp(text(row, "filed_on"), by) > 0 ||
            strcmp(text(row, "outcome") ? text(row, "outcome") : "", "rejected") == 0)
            continue; /* a rejected filing was returned unfiled */
        found = 1;
        if (on == NULL)
            pending = 1;
        else if (strcmp(on, decided) > 0)
            snprintf(decided, DATE_LEN, "%s", on);
    }
    if (pending)
        decided[0] = '\0';
    return found;
}

/* What the program's termination makes of an approved request's parole, whose own end is
 * `own` ("" when unknown), into *t (see struct termination). */
static void termination_of(const json_t *program, const json_t *decisions, const json_t *filings,
                           const char *own, struct termination *t)
{
    const json_t *approval = latest_approval(decisions);
    const char *terminated_on = program ? text(program, "terminated_on") : NULL;
    json_t *exception;
    size_t i;

    memset(t, 0, sizeof(*t));
    if (terminated_on == NULL || approval == NULL || (own[0] && strcmp(own, terminated_on) < 0))
        return; /* not terminated, never approved, or ended before the termination */
    t->program = program;
    json_array_foreach(json_object_get(program, "exceptions"), i, exception)
    {
        char decided[DATE_LEN];

        if (!exception_filings(exception, filings, decided))
            continue;
        if (decided[0] && (own[0] == '\0' || strcmp(decided, own) < 0))
            snprintf(t->ends_on, DATE_LEN, "%s", decided);
        return;
    }
    t->terminates = 1;
    snprintf(t->ends_on, DATE_LEN, "%s", terminated_on);
}

/* The parole end of the request and what its program makes of it, into *end. */
static void parole_end_facts(const struct request_facts *r, const json_t *program,
                             const json_t *expirations, const json_t *decisions,
                             const json_t *filings, struct parole_end *end)
{
    parole_end_of(r, expirations, decisions, end->own);
    termination_of(program, decisions, filings, end->own, &end->ended);
    snprintf(end->effective, DATE_LEN, "%s", end->ended.ends_on[0] ? end->ended.ends_on : end->own);
}

/* The parole end deadline from `source` (resource/id) whose own date is `own`: due then, or
 * when the program's termination says (cited on it). */
static void add_parole_end(json_t *out, const struct request_facts *r, const json_t *rules,
                           const struct parole_end *end, const char *resource, int64_t id,
                           const char *own, int met, const char *title, const char *today)
{
    const struct termination *t = &end->ended;
    const char *due = own[0] ? own : t->ends_on;
    const json_t *rule;

    if (!met && t->ends_on[0])
        due = t->ends_on;
    rule = rule_for(rules, "parole_end", r->program, due);
    if (rule == NULL)
        return;
    if (!met && t->ends_on[0]) {
        add(out, r, rule, "parole_end", resource, id, due, NULL, NULL, status_of(0, due, today),
            t->terminates ? (own[0] ? "Parole ends: program terminated"
                                    : "Travel authorisation ends: program terminated")
                          : "Parole ends with the decision on the exception filing");
        cite_program(out, t->program, t->terminates);
    } else {
        add(out, r, rule, "parole_end", resource, id, due, NULL, NULL, status_of(met, due, today),
            title);
    }
}

/* Deadlines from expiry dates: parole end, EAD end (capped), travel-by, passport. */
static void expiry_deadlines(const struct request_facts *r, const json_t *expirations,
                             const json_t *decisions, const struct parole_end *end,
                             const json_t *rules, const char *today, json_t *out)
{
    static const char *const parole_kinds[] = {"parole", "i94", NULL};
    static const char *const passport_kinds[] = {"passport", NULL};
    const char *parole_end = end->effective;
    const json_t *decision = latest_decision(decisions), *approval = latest_approval(decisions);
    json_t *row;
    size_t i;

    /* No parole or I-94 date recorded: the end is an inside-US approval's valid_until, or the
     * termination of the program of an approval not yet used. */
    if (approval != NULL && !later_expiry(expirations, parole_kinds, "") &&
        (end->own[0] || end->ended.ends_on[0]))
        add_parole_end(out, r, rules, end, "decisions",
                       json_integer_value(json_object_get(approval, "id")), end->own, 0,
                       "Parole ends", today);
    /* An approval abroad authorises travel until its valid_until (or its program's termination,
     * when that comes first): travel by then; met once the entry is recorded (a parole or I-94
     * date). */
    if (approval != NULL && strcmp(r->location, "inside_us") != 0 &&
        text(approval, "valid_until") != NULL) {
        const char *until = text(approval, "valid_until");
        int cut = end->ended.terminates && strcmp(end->ended.ends_on, until) < 0;
        const char *due = cut ? end->ended.ends_on : until;
        const json_t *rule = rule_for(rules, "travel_by", r->program, due);

        if (rule != NULL) {
            add(out, r, rule, "travel_by", "decisions",
                json_integer_value(json_object_get(approval, "id")), due, NULL, NULL,
                status_of(later_expiry(expirations, parole_kinds, ""), due, today),
                cut ? "Travel by: program terminated"
                    : "Travel by (the approval's valid-until date)");
            if (cut)
                cite_program(out, end->ended.program, 0);
        }
    }
    json_array_foreach(expirations, i, row)
    {
        const char *kind = text(row, "kind"), *expires_on = text(row, "expires_on");
        int64_t id = json_integer_value(json_object_get(row, "id"));
        const json_t *rule;

        if (strcmp(kind, "parole") == 0 || strcmp(kind, "i94") == 0) {
            add_parole_end(out, r, rules, end, "expirations", id, expires_on,
                           later_expiry(expirations, parole_kinds, expires_on),
                           strcmp(kind, "i94") == 0 ? "I-94 admit-until date" : "Parole ends",
                           today);
        } else if (strcmp(kind, "ead") == 0) {
            const char *category = text(row, "ead_category"), *issued = text(row, "issued_on");
            char due[DATE_LEN];

            /* The rule of the card's category (none recorded: the parole-based one) in force
             * on its issue date (its expiry date when that is not known). */
            rule = rule_for_category(rules, "ead_end", r->program,
                                     category ? category : EAD_CATEGORY_UNRECORDED,
                                     issued ? issued : expires_on);
            if (rule == NULL)
                continue;
            /* The earliest of the card's date, the parole end when the rule caps at it, and
             * the rule's days (one year) from the card's issue date when it is known. */
            const char *title = "Work permit (EAD) ends";
            int by_program = 0;

            snprintf(due, sizeof(due), "%s", expires_on);
            if (json_is_true(json_object_get(rule, "cap_at_parole_end")) && parole_end[0] &&
                strcmp(parole_end, due) < 0) {
                snprintf(due, sizeof(due), "%s", parole_end);
                by_program = end->ended.ends_on[0] != '\0';
                title = by_program ? (end->ended.terminates
                                          ? "Work permit ends: program terminated"
                                          : "Work permit ends with the exception filing's decision")
                                   : "Work permit ends with the parole";
            }
            if (text(row, "issued_on") != NULL && !json_is_null(json_object_get(rule, "days"))) {
                char cap[DATE_LEN];

                shift(text(row, "issued_on"), json_integer_value(json_object_get(rule, "days")),
                      cap);
                if (strcmp(cap, due) < 0) {
                    snprintf(due, sizeof(due), "%s", cap);
                    title = "Work permit ends a year after issue";
                    by_program = 0;
                }
            }
            add(out, r, rule, "ead_end", "expirations", id, due, NULL, NULL,
                status_of(later_card(expirations, category, expires_on), due, today), title);
            if (by_program)
                cite_program(out, end->ended.program, 0);
        } else if (strcmp(kind, "travel_document") == 0) {
            int entered = entered_after(expirations, id);

            rule = rule_for(rules, "travel_by", r->program, expires_on);
            if (rule == NULL)
                continue;
            add(out, r, rule, "travel_by", "expirations", id, expires_on, NULL, NULL,
                status_of(entered, expires_on, today), "Travel by");
            /* a denial (or withdrawal, closing, termination) leaves nothing to travel on */
            if (!entered && decision != NULL && strcmp(text(decision, "outcome"), "approved") != 0)
                moot_by(out, decision);
        } else if (strcmp(kind, "passport") == 0) {
            rule = rule_for(rules, "passport_expiry", r->program, expires_on);
            if (rule != NULL)
                add(out, r, rule, "passport_expiry", "expirations", id, expires_on, NULL, NULL,
                    status_of(later_expiry(expirations, passport_kinds, expires_on), expires_on,
                              today),
                    "Passport expires");
        }
    }
}

/* The re-parole filing window before the parole end of an approved request, and the motion
 * deadline after a denial where that rule is enabled. */
/* How the filings of `filings` bear on a re-parole window opening on `opens` ("" when the rule
 * has no opening) after the approval of `decided_on`: a filing of kind re_parole (any filing
 * of a renewing request: `any_kind`) on or after the approval meets the window when it is made
 * inside it (*filed), and is premature before it (*premature). */
/* True when one of `filings` is of `form`, filed on or after `since`: the answer to a decision
 * (an I-290B motion). */
static int filed_since(const json_t *filings, const char *form, const char *since)
{
    json_t *row;
    size_t i;

    json_array_foreach(filings, i, row)
    {
        const char *row_form = text(row, "form");

        if (row_form != NULL && strcmp(row_form, form) == 0 &&
            strcmp(text(row, "filed_on"), since) >= 0)
            return 1;
    }
    return 0;
}

static void reparole_filings(const json_t *filings, int any_kind, const char *decided_on,
                             const char *opens, int *filed, int *premature)
{
    json_t *row;
    size_t i;

    json_array_foreach(filings, i, row)
    {
        const char *kind = text(row, "kind"), *on = text(row, "filed_on");

        if (!is_parole_form(row) ||
            (!any_kind && (kind == NULL || strcmp(kind, "re_parole") != 0)) ||
            strcmp(on, decided_on) < 0)
            continue;
        if (opens[0] && strcmp(on, opens) < 0)
            *premature = 1;
        else
            *filed = 1;
    }
}

static void decision_deadlines(const struct request_facts *r, const json_t *decisions,
                               const struct parole_end *end, const json_t *filings,
                               const json_t *renewal_filings, const json_t *rules,
                               const char *today, json_t *out)
{
    const json_t *decision = latest_decision(decisions), *approval = latest_approval(decisions);
    const char *parole_end = end->own;
    char due[DATE_LEN], opens[DATE_LEN] = "";
    const json_t *rule;
    int filed = 0, premature = 0;

    if (decision == NULL)
        return;
    /* After a denial, the motion (where its rule is enabled), met once an I-290B is filed. */
    if (strcmp(text(decision, "outcome"), "denied") == 0) {
        rule = rule_for(rules, "motion", r->program, text(decision, "decided_on"));
        if (rule != NULL) {
            shift(text(decision, "decided_on"),
                  json_integer_value(json_object_get(rule, "days")) +
                      (json_is_true(json_object_get(decision, "mailed"))
                           ? json_integer_value(json_object_get(rule, "mailed_extra_days"))
                           : 0),
                  due);
            add(out, r, rule, "motion", "decisions",
                json_integer_value(json_object_get(decision, "id")), due, NULL, NULL,
                status_of(filed_since(filings, "I-290B", text(decision, "decided_on")), due, today),
                "Motion (I-290B) deadline");
        }
    }
    /* The re-parole window of the latest approval, whatever came after it (it outlives a
     * later decision); none under a program whose termination ends this parole. */
    decision = approval;
    if (decision == NULL || parole_end[0] == '\0' || end->ended.program != NULL)
        return;
    rule = rule_for(rules, "reparole_filing", r->program, parole_end);
    if (rule == NULL)
        return;
    shift(parole_end, -json_integer_value(json_object_get(rule, "days")), due);
    if (!json_is_null(json_object_get(rule, "opens_days_before")))
        shift(parole_end, -json_integer_value(json_object_get(rule, "opens_days_before")), opens);
    /* A re-parole filing after the approval (on this request, or any filing of a request
     * renewing it) meets it, unless it came before the window opened (USCIS may reject it
     * without refund): then the deadline stays open, marked premature. */
    if (json_is_null(json_object_get(rule, "opens_days_before")))
        opens[0] = '\0';
    reparole_filings(filings, 0, text(decision, "decided_on"), opens, &filed, &premature);
    reparole_filings(renewal_filings, 1, text(decision, "decided_on"), opens, &filed, &premature);
    add(out, r, rule, "reparole_filing", "decisions",
        json_integer_value(json_object_get(decision, "id")), due, NULL,
        json_is_null(json_object_get(rule, "opens_days_before")) ? NULL : opens,
        status_of(filed, due, today),
        premature && !filed ? "File for re-parole by (the filing came before the window opened)"
                            : "File for re-parole by");
    json_object_set_new(last_added(out), "premature", json_boolean(premature && !filed));
}

/* A fee notice not yet paid is due on its due date (the parole fee: no payment, no parole); a
 * decision never makes it moot. */
static void fee_deadlines(const struct request_facts *r, const json_t *fee_notices,
                          const json_t *rules, const char *today, json_t *out)
{
    json_t *row;
    size_t i;

    json_array_foreach(fee_notices, i, row)
    {
        const char *kind = text(row, "kind"), *due = text(row, "due_on");
        const json_t *rule = rule_for(rules, "fee_payment", r->program, text(row, "issued_on"));

        if (rule == NULL)
            continue;
        add(out, r, rule, "fee_payment", "fee_notices",
            json_integer_value(json_object_get(row, "id")), due, NULL, NULL,
            status_of(text(row, "paid_on") != NULL, due, today),
            strcmp(kind, "parole_fee") == 0   ? "Pay the parole fee"
            : strcmp(kind, "filing_fee") == 0 ? "Pay the filing fee"
                                              : "Pay the fee");
    }
}

/* The same date a year after `date` into out (29 February: 28 February, the earlier). */
static void one_year_after(const char *date, char out[DATE_LEN])
{
    struct civil_date d;

    if (dates_parse(date, &d) != 0) {
        snprintf(out, DATE_LEN, "%s", date);
        return;
    }
    d.year += 1;
    if (d.month == 2 && d.day == 29 && !dates_is_leap_year(d.year))
        d.day = 28;
    dates_format(d, out);
}

/* The client's own deadlines, shown under each of its requests (source `clients`): the asylum
 * one-year deadline from the last arrival (unless the firm does not track it for the client),
 * met by any I-589; the change-of-address report from the day the client moved, met by an
 * AR-11 filed since. A decision never settles them. */
static void client_deadlines(const struct request_facts *r, const json_t *request,
                             const json_t *rules, const char *today, json_t *out)
{
    const char *arrived = text(request, "last_arrived_on"), *moved = text(request, "address_since");
    const char *i589 = text(request, "i589_filed_on"), *ar11 = text(request, "ar11_filed_on");
    const json_t *rule;
    char due[DATE_LEN];

    if (arrived != NULL && json_integer_value(json_object_get(request, "track_asylum_deadline")) &&
        (rule = rule_for(rules, "asylum_one_year", r->program, arrived)) != NULL) {
        one_year_after(arrived, due);
        add(out, r, rule, "asylum_one_year", "clients", r->client_id, due, NULL, NULL,
            status_of(i589 != NULL, due, today),
            "File for asylum (I-589) within a year of arrival");
    }
    if (moved != NULL &&
        (rule = rule_for(rules, "address_change_report", r->program, moved)) != NULL) {
        shift(moved, json_integer_value(json_object_get(rule, "days")), due);
        add(out, r, rule, "address_change_report", "clients", r->client_id, due, NULL, NULL,
            status_of(ar11 != NULL && strcmp(ar11, moved) >= 0, due, today),
            "Report the change of address (AR-11)");
    }
}

/* The date the client became a permanent resident: the earliest approved I-485 among
 * `filings` (the client's), into out ("" when none). */
static void adjusted_on(const json_t *filings, char out[DATE_LEN])
{
    json_t *row;
    size_t i;

    out[0] = '\0';
    json_array_foreach(filings, i, row)
    {
        const char *form = text(row, "form"), *outcome = text(row, "outcome");
        const char *on = text(row, "decided_on");

        if (form != NULL && strcmp(form, "I-485") == 0 && outcome != NULL &&
            strcmp(outcome, "approved") == 0 && on != NULL && (!out[0] || strcmp(on, out) < 0))
            snprintf(out, DATE_LEN, "%s", on);
    }
}

/* A permanent resident (an approved I-485 of the client, `adjusted`) no longer lives on parole:
 * what the parole asked of the client (its end, its work permits, a re-parole filing, a travel-by,
 * the asylum one-year filing) needs nothing more. Those still open in out are met from then on,
 * their title saying why. */
static void settle_by_adjustment(json_t *out, const char *adjusted)
{
    static const char *const settled[] = {"parole_end", "ead_end",         "reparole_filing",
                                          "travel_by",  "asylum_one_year", NULL};
    json_t *record;
    size_t i;

    if (adjusted[0] == '\0')
        return;
    json_array_foreach(out, i, record)
    {
        char title[192];
        size_t k;

        for (k = 0; settled[k] != NULL && strcmp(settled[k], text(record, "kind")) != 0; k++)
            ;
        if (settled[k] == NULL || json_is_true(json_object_get(record, "met")))
            continue;
        snprintf(title, sizeof(title), "%s (settled: I-485 approved %s)", text(record, "title"),
                 adjusted);
        json_object_set_new(record, "title", json_string(title));
        json_object_set_new(record, "status", json_string("met"));
        json_object_set_new(record, "met", json_true());
        json_object_set_new(record, "premature", json_false());
    }
}

/* Order deadlines by date, then appointment time, then id. */
static int compare_deadlines(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int order = strcmp(text(x, "due_on"), text(y, "due_on"));

    if (order == 0)
        order = strcmp(text(x, "due_at") ? text(x, "due_at") : "",
                       text(y, "due_at") ? text(y, "due_at") : "");
    return order ? order : strcmp(text(x, "id"), text(y, "id"));
}

json_t *deadline_compute_request(const struct deadline_compute_input *in)
{
    static const char *const passport_kinds[] = {"passport", NULL};
    const json_t *request = in->request;
    const char *passport = text(request, "passport_expires_on");
    const json_t *rule;
    struct request_facts r;
    struct parole_end end;
    json_t *out = json_array();
    /* the filings of all the client's requests (missing: the request's own) */
    const json_t *client_filings = json_is_array(json_object_get(request, "client_filings"))
                                       ? json_object_get(request, "client_filings")
                                       : in->filings;
    char adjusted[DATE_LEN];

    memset(&r, 0, sizeof(r));
    r.id = json_integer_value(json_object_get(request, "id"));
    r.client_id = json_integer_value(json_object_get(request, "client_id"));
    snprintf(r.program, sizeof(r.program), "%s",
             text(request, "program") ? text(request, "program") : "");
    snprintf(r.location, sizeof(r.location), "%s",
             text(request, "location") ? text(request, "location") : "");
    /* The passport date on the client's record (besides passport expirations). */
    rule = passport ? rule_for(in->rules, "passport_expiry", r.program, passport) : NULL;
    if (rule != NULL)
        add(out, &r, rule, "passport_expiry", "clients", r.client_id, passport, NULL, NULL,
            status_of(later_expiry(in->expirations, passport_kinds, passport), passport, in->today),
            "Passport expires (client record)");
    /* A termination exception's filing (an I-485) may sit under any request of the client. */
    parole_end_facts(&r, r.program[0] ? json_object_get(in->programs, r.program) : NULL,
                     in->expirations, in->decisions, client_filings, &end);
    rfe_deadlines(&r, in->rfes, in->decisions, in->rules, in->today, out);
    appointment_deadlines(&r, in->interviews, in->decisions, in->rules, in->today, in->now, out);
    expiry_deadlines(&r, in->expirations, in->decisions, &end, in->rules, in->today, out);
    decision_deadlines(&r, in->decisions, &end, in->filings, in->renewal_filings, in->rules,
                       in->today, out);
    fee_deadlines(&r, in->fee_notices, in->rules, in->today, out);
    client_deadlines(&r, in->request, in->rules, in->today, out);
    adjusted_on(client_filings, adjusted);
    settle_by_adjustment(out, adjusted);
    return out;
}

void deadline_compute_sort(json_t *deadlines)
{
    size_t n = json_array_size(deadlines), i;
    json_t **items = calloc(n ? n : 1, sizeof(*items));

    if (items == NULL)
        return;
    for (i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(deadlines, i));
    qsort(items, n, sizeof(*items), compare_deadlines);
    json_array_clear(deadlines);
    for (i = 0; i < n; i++) {
        size_t kept_n = json_array_size(deadlines);
        json_t *kept = kept_n ? json_array_get(deadlines, kept_n - 1) : NULL;

        /* A client's own passport date shows once, whichever requests it has. */
        if (kept != NULL && strcmp(text(items[i], "id"), text(kept, "id")) == 0) {
            json_decref(items[i]);
            continue;
        }
        json_array_append_new(deadlines, items[i]);
    }
    free(items);
}
