/* deadline_kind: the names of the deadline kinds (see deadline_kind.h). A domain module: it
 * depends on nothing. */
#include "deadline_kind.h"

#include <string.h>

const char *const deadline_kind_names[DEADLINE_KIND__MAX + 1] = {
    [DEADLINE_KIND_RFE_RESPONSE] = "rfe_response",
    [DEADLINE_KIND_NOID_RESPONSE] = "noid_response",
    [DEADLINE_KIND_MOTION] = "motion",
    [DEADLINE_KIND_INTERVIEW] = "interview",
    [DEADLINE_KIND_BIOMETRICS] = "biometrics",
    [DEADLINE_KIND_PAROLE_END] = "parole_end",
    [DEADLINE_KIND_REPAROLE_FILING] = "reparole_filing",
    [DEADLINE_KIND_EAD_END] = "ead_end",
    [DEADLINE_KIND_TRAVEL_BY] = "travel_by",
    [DEADLINE_KIND_PASSPORT_EXPIRY] = "passport_expiry",
    [DEADLINE_KIND_MISSED_APPOINTMENT] = "missed_appointment",
    [DEADLINE_KIND_FEE_PAYMENT] = "fee_payment",
    [DEADLINE_KIND_ASYLUM_ONE_YEAR] = "asylum_one_year",
    [DEADLINE_KIND_ADDRESS_CHANGE_REPORT] = "address_change_report",
    [DEADLINE_KIND__MAX] = NULL,
};

enum deadline_kind deadline_kind_parse(const char *name)
{
    int k;

    for (k = 0; name != NULL && k < DEADLINE_KIND__MAX; k++)
        if (strcmp(deadline_kind_names[k], name) == 0)
            return (enum deadline_kind)k;
    return DEADLINE_KIND__MAX;
}
