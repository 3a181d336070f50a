/* search_route: GET /api/v1/search, the dashboard header's one search box (search.h does the
 * work). A handler module: it depends on call and search. */
#ifndef PAROLETRACK_SEARCH_ROUTE_H
#define PAROLETRACK_SEARCH_ROUTE_H

#include "call.h"

/* GET /api/v1/search?q=TEXT[&limit=N]: clients and parole requests that match, best first. */
void search_route_get(struct call *call, struct call_reply *reply);

#endif
