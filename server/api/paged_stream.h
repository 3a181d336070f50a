/* paged_stream: a reply body produced a page at a time after its handler returned (a streamed
 * CSV export). The stream owns a database connection of its own (db_open_detached) holding one
 * read snapshot from its first read to its end, so whatever the handler counted before replying
 * (an export's audited row count) is what is sent, however slowly the client reads. The owner
 * embeds the struct as its first member and says how to write the next page; this module does
 * the connection, the snapshot, the part not yet sent, the failure log and the call_stream the
 * HTTP layer reads. Handler layer. */
#ifndef PAROLETRACK_PAGED_STREAM_H
#define PAROLETRACK_PAGED_STREAM_H

#include "call.h"
#include "text_buffer.h"

struct paged_stream;

/* Append the next page to out, setting *done after the last. Returns 0, or -1 with *p set. */
typedef int (*paged_stream_next_fn)(struct paged_stream *s, struct text_buffer *out, int *done,
                                    struct problem *p);

struct paged_stream {
    struct db *db;         /* the stream's own connection, in its read snapshot */
    struct op_context ctx; /* the call's, with its request id copied below */
    char request_id[72];
    const char *what; /* in the operator's log ("CSV export"), static */
    paged_stream_next_fn next;
    void (*release)(struct paged_stream *s); /* frees the owner's members; may be NULL */
    struct text_buffer part;                 /* the page being sent */
    size_t sent;                             /* bytes of `part` already sent */
    int done;
};

/* Allocate a stream of `size` bytes (the owner's struct, the paged_stream first), zeroed, with
 * its connection opened and its snapshot begun, the call's context copied. Returns it, or NULL
 * when no such connection can be opened here (the caller builds the body whole instead). */
struct paged_stream *paged_stream_open(size_t size, const struct call *call, const char *what,
                                       paged_stream_next_fn next,
                                       void (*release)(struct paged_stream *s));

/* Free a stream (its owner's members through `release`, its snapshot and connection). */
void paged_stream_free(struct paged_stream *s);

/* Answer 200 with the stream as the body (content_type static); the reply owns it from here. */
void paged_stream_reply(struct paged_stream *s, struct call_reply *reply, const char *content_type);

#endif
