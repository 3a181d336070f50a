/* reference_mhd: the benchmark kit's bare reference server, the stack's limit for a point read.
 * GET /parole-requests/{id} reads the row by id from the database file given (read-only) and
 * answers it as a JSON object of its columns; anything else is a 404. No authentication, no
 * routing, no audit: libmicrohttpd (epoll, a pool of two threads), one SQLite connection and
 * prepared statement per thread, jansson. It depends on nothing of paroletrack.
 *
 * usage: reference_mhd DATABASE [PORT]   (PORT 0 or absent: a free port; it prints
 * "listening on http://127.0.0.1:PORT" and runs until SIGINT or SIGTERM) */
#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REFERENCE_PREFIX "/parole-requests/"

static const char *reference_db_path;

/* Each pool thread's connection and statement, opened on its first request; every connection
 * is also listed in reference_opened, so main closes them all once the daemon stopped. */
static _Thread_local sqlite3 *reference_db;
static _Thread_local sqlite3_stmt *reference_stmt;
static sqlite3 *reference_opened[16];
static int reference_opened_count;
static pthread_mutex_t reference_opened_lock = PTHREAD_MUTEX_INITIALIZER;

/* The calling thread's prepared point read, opened on first use. Returns NULL on failure. */
static sqlite3_stmt *reference_statement(void)
{
    if (reference_stmt != NULL)
        return reference_stmt;
    if (reference_db != NULL)
        return NULL; /* opened, but the statement failed to prepare: stays failed */
    if (sqlite3_open_v2(reference_db_path, &reference_db, SQLITE_OPEN_READONLY, NULL) ==
        SQLITE_OK) {
        pthread_mutex_lock(&reference_opened_lock);
        if (reference_opened_count < 16)
            reference_opened[reference_opened_count++] = reference_db;
        pthread_mutex_unlock(&reference_opened_lock);
    }
    if (sqlite3_errcode(reference_db) != SQLITE_OK ||
        sqlite3_prepare_v3(reference_db, "SELECT * FROM parole_requests WHERE id = ?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &reference_stmt, NULL) != SQLITE_OK) {
        fprintf(stderr, "reference_mhd: %s\n", sqlite3_errmsg(reference_db));
        return NULL;
    }
    return reference_stmt;
}

/* The row with `id` as a JSON text (caller frees), or NULL when there is none. */
static char *reference_read(sqlite3_int64 id)
{
    sqlite3_stmt *stmt = reference_statement();
    json_t *row = NULL;
    char *text = NULL;

    if (stmt == NULL)
        return NULL;
    sqlite3_bind_int64(stmt, 1, id);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        row = json_object();
        for (int i = 0; i < sqlite3_column_count(stmt); i++) {
            const char *name = sqlite3_column_name(stmt, i);

            switch (sqlite3_column_type(stmt, i)) {
            case SQLITE_INTEGER:
                json_object_set_new(row, name, json_integer(sqlite3_column_int64(stmt, i)));
                break;
            case SQLITE_FLOAT:
                json_object_set_new(row, name, json_real(sqlite3_column_double(stmt, i)));
                break;
            case SQLITE_NULL:
                json_object_set_new(row, name, json_null());
                break;
            default:
                json_object_set_new(row, name,
                                    json_string((const char *)sqlite3_column_text(stmt, i)));
            }
        }
        text = json_dumps(row, JSON_COMPACT);
    }
    sqlite3_reset(stmt);
    json_decref(row);
    return text;
}

/* The access handler: the first call only marks the request seen (queueing a reply there
 * makes libmicrohttpd close the connection); the second answers it. */
static enum MHD_Result reference_answer(void *cls, struct MHD_Connection *connection,
                                        const char *url, const char *method, const char *version,
                                        const char *upload_data, size_t *upload_data_size,
                                        void **req_cls)
{
    static int seen;
    struct MHD_Response *response;
    enum MHD_Result rc;
    char *body = NULL;
    char *end = NULL;
    long long id;

    (void)cls, (void)version, (void)upload_data;
    if (*req_cls == NULL) {
        *req_cls = &seen;
        return MHD_YES;
    }
    *upload_data_size = 0;
    if (strcmp(method, "GET") == 0 &&
        strncmp(url, REFERENCE_PREFIX, strlen(REFERENCE_PREFIX)) == 0) {
        id = strtoll(url + strlen(REFERENCE_PREFIX), &end, 10);
        if (end != url + strlen(REFERENCE_PREFIX) && *end == '\0')
            body = reference_read(id);
    }
    if (body == NULL) {
        response = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        rc = MHD_queue_response(connection, MHD_HTTP_NOT_FOUND, response);
    } else {
        response = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(response, "Content-Type", "application/json");
        rc = MHD_queue_response(connection, MHD_HTTP_OK, response);
    }
    MHD_destroy_response(response);
    return rc;
}

int main(int argc, char **argv)
{
    struct sockaddr_in address = {0};
    const union MHD_DaemonInfo *info;
    struct MHD_Daemon *daemon;
    sigset_t stop;
    int sig;

    if (argc < 2) {
        fprintf(stderr, "usage: reference_mhd DATABASE [PORT]\n");
        return 2;
    }
    reference_db_path = argv[1];
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)(argc > 2 ? atoi(argv[2]) : 0));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* The daemon's threads inherit this mask, so the stop signal reaches sigwait below. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    daemon = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                              reference_answer, NULL, MHD_OPTION_SOCK_ADDR, &address,
                              MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)2,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_END);
    if (daemon == NULL) {
        fprintf(stderr, "reference_mhd: cannot start the daemon\n");
        return 1;
    }
    info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on http://127.0.0.1:%u\n", info ? (unsigned)info->port : 0u);
    fflush(stdout);
    sigwait(&stop, &sig);
    MHD_stop_daemon(daemon);
    /* The pool threads are gone: close their connections (and with them their statements). */
    for (int i = 0; i < reference_opened_count; i++)
        sqlite3_close_v2(reference_opened[i]);
    return 0;
}
