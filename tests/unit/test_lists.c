/* Unit tests of the shared lists (issue 10, "one source for each shared list"): the stage,
 * role and deadline kind tables of domain/ and the places that cannot use them directly and so
 * must agree with them: the stage names the SQL derives (store/sql.c, STAGE_EXPRESSION), and the
 * sealed columns (store/sql.h, SEALED_COLUMNS) against every resource spec's `encrypted` list. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "deadline_kind.h"
#include "records.h"
#include "role.h"
#include "sql.h"
#include "stage.h"
#include "webhook_event.h"

/* True when `name` is one of the NULL-terminated `names`. */
static int listed(const char *const *names, const char *name)
{
    for (; names != NULL && *names; names++)
        if (strcmp(*names, name) == 0)
            return 1;
    return 0;
}

/* The stage literals a statement can give: every 'name' right after THEN or ELSE. Checks that
 * each is in stage_names (or in `classes`, the stored stage classes that are not stages
 * themselves, NULL-terminated, may be NULL) and, when all_stages, that every stage of the table
 * is among them. */
static void check_stage_literals(enum sql_id id, const char *const *classes, int all_stages)
{
    const char *text = sql_text(id);
    int seen[STAGE__MAX] = {0};

    for (const char *at = text; (at = strchr(at, '\'')) != NULL;) {
        const char *end = strchr(at + 1, '\'');
        char name[64];
        size_t n;

        if (end == NULL)
            break;
        n = (size_t)(end - at - 1);
        if (n < sizeof(name) && at - text >= 5 &&
            (strncmp(at - 5, "THEN ", 5) == 0 || strncmp(at - 5, "ELSE ", 5) == 0)) {
            enum stage s;

            memcpy(name, at + 1, n);
            name[n] = '\0';
            if (classes != NULL && listed(classes, name)) {
                at = end + 1;
                continue;
            }
            s = stage_parse(name);
            if (s == STAGE__MAX)
                fprintf(stderr, "%s derives '%s', which is not in stage_names\n", sql_name(id),
                        name);
            CHECK(s != STAGE__MAX);
            if (s != STAGE__MAX)
                seen[s] = 1;
        }
        at = end + 1;
    }
    for (int s = 0; all_stages && s < STAGE__MAX; s++) {
        if (!seen[s])
            fprintf(stderr, "%s never derives '%s'\n", sql_name(id), stage_names[s]);
        CHECK(seen[s]);
    }
}

/* The stored stage classes that are not stages: an approval with an end date, an appointment
 * before its instant (the prefix of 'interview_then_<stage>'), an approval its program's
 * termination ends, and the empty boundary. */
static const char *const stage_classes[] = {"approved_until",
                                            "interview_then_",
                                            "paroled_then_terminated",
                                            "approved_then_terminated",
                                            "",
                                            NULL};

/* Every table, parse and predicate of the three lists. */
static void check_tables(void)
{
    int closed = 0;

    for (int s = 0; s < STAGE__MAX; s++) {
        CHECK(stage_names[s] != NULL && stage_parse(stage_names[s]) == (enum stage)s);
        closed += stage_is_closed((enum stage)s);
    }
    CHECK(stage_names[STAGE__MAX] == NULL);
    CHECK(closed == 4);
    CHECK(stage_is_closed(stage_parse("denied")) && stage_is_closed(stage_parse("withdrawn")) &&
          stage_is_closed(stage_parse("closed")) && stage_is_closed(stage_parse("terminated")));
    CHECK(!stage_is_closed(stage_parse("paroled")) && !stage_is_closed(stage_parse("expired")));
    CHECK(stage_parse("nope") == STAGE__MAX && stage_parse(NULL) == STAGE__MAX);
    CHECK(!stage_is_closed(STAGE__MAX));

    for (int r = 0; r < ROLE__MAX; r++)
        CHECK(role_names[r] != NULL && role_parse(role_names[r]) == (enum role)r);
    CHECK(role_names[ROLE__MAX] == NULL);
    CHECK(role_needs_totp(ROLE_ADMIN) && role_needs_totp(ROLE_ATTORNEY));
    CHECK(!role_needs_totp(ROLE_PARALEGAL) && !role_needs_totp(ROLE_VIEWER));
    CHECK(role_may_write(ROLE_PARALEGAL) && !role_may_write(ROLE_VIEWER));
    CHECK(role_is_assignable_attorney(ROLE_ATTORNEY) && role_is_assignable_attorney(ROLE_ADMIN));
    CHECK(!role_is_assignable_attorney(ROLE_PARALEGAL));
    CHECK(role_is_assignable_paralegal(ROLE_PARALEGAL) &&
          !role_is_assignable_paralegal(ROLE_VIEWER));
    CHECK(role_parse("root") == ROLE__MAX && !role_needs_totp(ROLE__MAX) &&
          !role_may_write(ROLE__MAX) && !role_is_assignable_attorney(ROLE__MAX) &&
          !role_is_assignable_paralegal(ROLE__MAX));

    for (int k = 0; k < DEADLINE_KIND__MAX; k++)
        CHECK(deadline_kind_names[k] != NULL &&
              deadline_kind_parse(deadline_kind_names[k]) == (enum deadline_kind)k);
    CHECK(deadline_kind_names[DEADLINE_KIND__MAX] == NULL);
    CHECK(deadline_kind_parse("appointment") == DEADLINE_KIND__MAX);
}

struct sealed {
    const char *table, *column;
};

#define SEALED_ROW(name, table, column) {table, column},
static const struct sealed sealed[] = {SEALED_COLUMNS(SEALED_ROW)};
#undef SEALED_ROW

/* A spec's `encrypted` list is exactly the SEALED_COLUMNS entries of its table. */
static void check_encrypted(const struct resource_spec *spec)
{
    for (const char *const *f = spec->encrypted; f != NULL && *f; f++) {
        int found = 0;

        for (size_t i = 0; i < sizeof(sealed) / sizeof(sealed[0]); i++)
            found |=
                strcmp(sealed[i].table, spec->sql_table) == 0 && strcmp(sealed[i].column, *f) == 0;
        if (!found)
            fprintf(stderr, "%s.%s is encrypted but not in SEALED_COLUMNS\n", spec->sql_table, *f);
        CHECK(found);
    }
    for (size_t i = 0; i < sizeof(sealed) / sizeof(sealed[0]); i++) {
        if (strcmp(sealed[i].table, spec->sql_table) != 0)
            continue;
        if (!listed(spec->encrypted, sealed[i].column))
            fprintf(stderr, "%s.%s is in SEALED_COLUMNS but not in the spec's encrypted list\n",
                    sealed[i].table, sealed[i].column);
        CHECK(listed(spec->encrypted, sealed[i].column));
    }
}

/* Every record kind raises its three change webhooks: the spec's audit entity has a noun in
 * webhook_event.c, and "<noun>.created", ".updated", ".deleted" are subscribable types; the
 * list holds no type twice and nothing else but the three cross-record events. */
static void check_webhook_events(const struct resource_spec *const *specs, size_t count)
{
    static const char *const verbs[] = {"created", "updated", "deleted"};
    size_t types = 0;

    for (size_t i = 0; i < count; i++) {
        const char *noun = webhook_event_noun(specs[i]->entity);

        if (noun == NULL)
            fprintf(stderr, "%s raises no change webhook\n", specs[i]->entity);
        CHECK(noun != NULL);
        for (size_t v = 0; noun != NULL && v < 3; v++) {
            char type[64];

            snprintf(type, sizeof(type), "%s.%s", noun, verbs[v]);
            CHECK(webhook_event_type_known(type));
        }
    }
    for (size_t i = 0; webhook_event_types[i] != NULL; i++, types++)
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(webhook_event_types[i], webhook_event_types[j]) != 0);
    CHECK(types == count * 3 + 3);
    CHECK(webhook_event_type_known("stage.changed") &&
          webhook_event_type_known("deadline.overdue") &&
          webhook_event_type_known("uscis_status.changed"));
    CHECK(!webhook_event_type_known("*") && !webhook_event_type_known(NULL) &&
          !webhook_event_type_known("client.renamed"));
    CHECK(webhook_event_noun("users") == NULL && webhook_event_noun("webhook_endpoints") == NULL);
}

int main(void)
{
    static const struct resource_spec *const specs[] = {
        &clients_resource,     &parole_requests_resource, &filings_resource,
        &rfes_resource,        &interviews_resource,      &decisions_resource,
        &expirations_resource, &fee_notices_resource,     &entries_resource};

    check_tables();
    /* the statistics count stages through stored stage classes; verify's comparison holds both
     * derivations, from the events (STAGE_EXPRESSION) and from the classes */
    check_stage_literals(SQL_STAGE_DISAGREEMENTS, NULL, 1);
    /* a request's stage is read from its stored class: the classes are stages, or turn into
     * one at their boundary (verify compares the two derivations on every request) */
    check_stage_literals(SQL_REQUEST_GET, NULL, 0);
    check_stage_literals(SQL_FACTS_REFRESH, stage_classes, 0);
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
        check_encrypted(specs[i]);
    check_webhook_events(specs, sizeof(specs) / sizeof(specs[0]));
    return CHECK_DONE();
}
