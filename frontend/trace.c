/*
 * Trace category parsing (--trace=LIST).
 */
#include "sv/trace.h"

#include <glib.h>

static const char *const trace_names[TRACE_NUM] = {
#define TRACE_NAME(n, s) s,
	TRACE_CATEGORIES(TRACE_NAME)
#undef TRACE_NAME
};

int trace_parse(const char *list, unsigned *mask, char **bad)
{
	gchar **words = g_strsplit(list, ",", -1);
	int rc = 0;

	*mask = 0;
	*bad = NULL;
	for (gchar **w = words; *w; w++) {
		unsigned i;
		if (!**w)
			continue;
		if (!strcmp(*w, "all")) {
			*mask = (1u << TRACE_NUM) - 1;
			continue;
		}
		for (i = 0; i < TRACE_NUM; i++)
			if (!strcmp(*w, trace_names[i]))
				break;
		if (i == TRACE_NUM) {
			*bad = g_strdup(*w);
			rc = -1;
			break;
		}
		*mask |= 1u << i;
	}
	g_strfreev(words);
	return rc;
}
