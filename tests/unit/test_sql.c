/* Unit tests of the statement catalogue: every statement has a name and a text, the names are
 * unique, and every one prepares against the fully migrated schema (a statement naming a
 * column or table a migration renamed or dropped fails here, not at run time on one route). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "db.h"
#include "migrate.h"
#include "sql.h"

int main(void)
{
    struct problem p;
    struct db *db;

    problem_init(&p);
    db = db_open(":memory:", &p);
    CHECK(db != NULL && migrate_apply(db, 0, NULL, &p) == 0);
    if (db == NULL || p.kind != PROBLEM_NONE) {
        fprintf(stderr, "setup: %s\n", p.detail);
        return CHECK_DONE();
    }
    for (int id = 0; id < SQL__MAX; id++) {
        const char *name = sql_name((enum sql_id)id), *text = sql_text((enum sql_id)id);
        db_stmt *stmt;

        CHECK(name != NULL && text != NULL && text[0] != '\0');
        if (name == NULL || text == NULL) {
            fprintf(stderr, "statement %d has no catalogue entry\n", id);
            continue;
        }
        for (int other = 0; other < id; other++)
            if (sql_name((enum sql_id)other) != NULL &&
                strcmp(sql_name((enum sql_id)other), name) == 0) {
                CHECK(!"statement names are unique");
                fprintf(stderr, "two statements are named %s\n", name);
            }
        stmt = db_prepare(db, (enum sql_id)id, &p);
        CHECK(stmt != NULL);
        if (stmt == NULL) {
            fprintf(stderr, "%s does not prepare: %s\n", name, p.detail);
            problem_clear(&p);
            problem_init(&p);
        }
        db_finish(stmt);
    }
    db_close(db);
    problem_clear(&p);
    return CHECK_DONE();
}
