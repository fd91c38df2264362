/* A growable string for the sweep's files and command lines; an allocation failure sticks
 * in oom and is checked once at the end. */
#ifndef PVB_SWEEP_SBUF_H
#define PVB_SWEEP_SBUF_H
#include <stdbool.h>
#include <stddef.h>

struct pvb_sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

void pvb_sb_add(struct pvb_sbuf *b, const char *s, size_t n);
void pvb_sb_str(struct pvb_sbuf *b, const char *s);
/* One CSV field, quoted as RFC 4180 wants when it holds a comma, quote or newline. */
void pvb_sb_csv(struct pvb_sbuf *b, const char *f);
/* Shell-quoted, for command lines that can be pasted. */
void pvb_sb_shell(struct pvb_sbuf *b, const char *s);

#endif
