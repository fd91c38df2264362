/* The report's tables as cells, shared by its md, txt and html formats (report_table.c). */
#ifndef PVB_REPORT_TABLE_H
#define PVB_REPORT_TABLE_H
#include "report.h"

#define PVB_RT_MAXCOLS 8
#define PVB_RT_CELL    208
enum {
	PVB_RT_REBOOT,
	PVB_RT_RATIOS,
	PVB_RT_MEMORY,
	/* where the time goes: the async critical path over the floors, its create by part; the
	 * sync cleanup against a bare munmap, by part */
	PVB_RT_WHERE_ASYNC,
	PVB_RT_WHERE_CREATE,
	PVB_RT_WHERE_SYNC,
	PVB_RT_WHERE_CLEANUP,
	PVB_RT_WHERE_COUNTERS, /* the vmstat counters that moved: critical path, sync cleanup */
	PVB_RT_NTABLES
};

struct pvb_rtable {
	const char *title;
	int ncols;
	const char *head[PVB_RT_MAXCOLS];
	size_t nrows;
	char (*cell)[PVB_RT_MAXCOLS][PVB_RT_CELL];
};

/* Whether the points are named "#N" (with a legend) in narrow text: a label too long. */
bool pvb_rtables_legend(const struct pvb_report *r);
/* The tables of r; narrow: "#N" for long point labels and short headings (txt).
 * Returns 0, or -1 (out of memory). */
int pvb_rtables_build(const struct pvb_report *r, bool narrow, struct pvb_rtable *t);
void pvb_rtables_free(struct pvb_rtable *t);

/* Text rendering (report_text.c), also used by compare: a table padded to its widest cells
 * under its title wrapped at PVB_TXT_WIDTH, or as markdown. */
#define PVB_TXT_WIDTH 72
void pvb_rtable_txt(FILE *f, const struct pvb_rtable *t);
void pvb_rtable_md(FILE *f, const struct pvb_rtable *t);
/* s wrapped at PVB_TXT_WIDTH: the first line after first, the others indented by indent. */
void pvb_wrap(FILE *f, const char *first, const char *s, int indent);

#endif
