/* filing_form: the forms a filing may be (see filing_form.h). */
#include "filing_form.h"

#include <string.h>

const char *const filing_form_names[] = {"I-131",  "I-131F", "I-134", "I-134A", "I-765",
                                         "I-290B", "I-589",  "I-821", "I-485",  "I-130",
                                         "I-912",  "G-28",   "AR-11", "other",  NULL};

int filing_form_known(const char *name)
{
    if (name == NULL)
        return 0;
    for (const char *const *f = filing_form_names; *f; f++)
        if (strcmp(*f, name) == 0)
            return 1;
    return 0;
}
