/* paged_stream: a reply body produced a page at a time (see paged_stream.h). */
#include "paged_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_buffer.h"

struct paged_stream *paged_stream_open(size_t size, const struct call *call, const char *what,
                                       paged_stream_next_fn next,
                                       void (*release)(struct paged_stream *s))
{
    struct paged_stream *s = calloc(1, size);
    struct problem quiet;

    if (s == NULL)
        return NULL;
    problem_init(&quiet);
    s->db = db_open_detached(&quiet);
    problem_clear(&quiet);
    if (s->db == NULL) {
        free(s);
        return NULL;
    }
    s->ctx = call->ctx;
    snprintf(s->request_id, sizeof(s->request_id), "%s",
             call->ctx.request_id ? call->ctx.request_id : "-");
    s->ctx.request_id = s->request_id;
    s->what = what;
    s->next = next;
    s->release = release;
    db_read_scope_begin(s->db); /* one snapshot from the first read to the end */
    return s;
}

void paged_stream_free(struct paged_stream *s)
{
    if (s == NULL)
        return;
    if (s->release != NULL)
        s->release(s);
    db_read_scope_end(s->db);
    db_close(s->db);
    text_buffer_free(&s->part);
    free(s);
}

/* A call_stream's read: what is left of the page being sent, the next page when it is all
 * sent, 0 after the last; -1 when a page cannot be read (the transfer is cut short). */
static long paged_stream_read(void *cls, char *buf, size_t max)
{
    struct paged_stream *s = cls;
    size_t n;

    while (s->sent >= s->part.len && !s->done) {
        struct problem p;

        problem_init(&p);
        s->part.len = 0;
        s->sent = 0;
        if (s->next(s, &s->part, &s->done, &p) != 0) {
            /* the operator's log; the client sees the transfer cut short */
            fprintf(stderr, "paroletrack: request_id=%s a %s failed: %s\n", s->request_id, s->what,
                    p.detail);
            problem_clear(&p);
            return -1;
        }
        if (s->part.failed)
            return -1;
    }
    n = s->part.len - s->sent < max ? s->part.len - s->sent : max;
    memcpy(buf, s->part.data + s->sent, n);
    s->sent += n;
    return (long)n;
}

static void paged_stream_release(void *cls)
{
    paged_stream_free(cls);
}

void paged_stream_reply(struct paged_stream *s, struct call_reply *reply, const char *content_type)
{
    reply->status = 200;
    reply->raw_content_type = content_type;
    reply->stream = (struct call_stream){paged_stream_read, paged_stream_release, s};
}
