/* The sweep's growable string (sbuf.h). */
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

void pvb_sb_add(struct pvb_sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void pvb_sb_str(struct pvb_sbuf *b, const char *s)
{
	pvb_sb_add(b, s, strlen(s));
}

void pvb_sb_csv(struct pvb_sbuf *b, const char *f)
{
	if (!f[strcspn(f, ",\"\r\n")]) {
		pvb_sb_str(b, f);
		return;
	}
	pvb_sb_add(b, "\"", 1);
	for (const char *q = f; *q; q++) {
		if (*q == '"')
			pvb_sb_add(b, "\"", 1);
		pvb_sb_add(b, q, 1);
	}
	pvb_sb_add(b, "\"", 1);
}

void pvb_sb_shell(struct pvb_sbuf *b, const char *s)
{
	if (*s && !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789-_.,:/=+@%")]) {
		pvb_sb_str(b, s);
		return;
	}
	pvb_sb_str(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			pvb_sb_str(b, "'\\''");
		else
			pvb_sb_add(b, s, 1);
	}
	pvb_sb_str(b, "'");
}
