/* A sweep's ledger, DIR/points.csv (one row per point: status, axis values, times, exit
 * code), and the filter that keeps only the rows of complete points on resume. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "pvbench.h"
#include "report/results.h"
#include "sbuf.h"
#include "sweep.h"

static const char *const status_names[] = { "pending", "running", "complete", "skipped", "failed" };
#define NSTATUS ((int)(sizeof(status_names) / sizeof(status_names[0])))

const char *pvb_sweep_status_name(enum pvb_sweep_status s)
{
	return status_names[s];
}

static void ledger_header(struct pvb_sbuf *b)
{
	pvb_sb_str(b, "point,status");
	for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
		pvb_sb_str(b, ",");
		pvb_sb_str(b, pvb_sweep_axis_names[a]);
	}
	pvb_sb_str(b, ",started_utc,ended_utc,exit_code\n");
}

int pvb_sweep_ledger_write(const char *dir, const struct pvb_sweep_config *cfg,
			   const struct pvb_sweep_entry *e, int n)
{
	struct pvb_sbuf b = { 0 };
	char path[4200], num[24];
	int rc = -1;

	ledger_header(&b);
	for (int i = 0; i < n; i++) {
		struct pvb_sweep_point pt;

		pvb_sweep_point_get(cfg, i, &pt);
		snprintf(num, sizeof(num), "%d,", i);
		pvb_sb_str(&b, num);
		pvb_sb_str(&b, pvb_sweep_status_name(e[i].status));
		for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
			const char *v = pvb_sweep_value(cfg, &pt, a);

			pvb_sb_str(&b, ",");
			pvb_sb_csv(&b, v ? v : "");
		}
		pvb_sb_str(&b, ",");
		pvb_sb_str(&b, e[i].started);
		pvb_sb_str(&b, ",");
		pvb_sb_str(&b, e[i].ended);
		pvb_sb_str(&b, ",");
		if (e[i].exit_code >= 0) {
			snprintf(num, sizeof(num), "%d", e[i].exit_code);
			pvb_sb_str(&b, num);
		}
		pvb_sb_str(&b, "\n");
	}
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	if (b.oom)
		pvb_err("%s: out of memory", path);
	else if (!pvb_write_file_atomic(path, b.p, b.len))
		rc = 0;
	free(b.p);
	return rc;
}

int pvb_sweep_ledger_read(const char *dir, const struct pvb_sweep_config *cfg,
			  struct pvb_sweep_entry *e, int n)
{
	int pc, sc, bc, ec, xc, ac[PVB_SWEEP_NAXES], rc = PVB_EXIT_USAGE;
	struct pvb_table t;
	char path[4200];

	for (int i = 0; i < n; i++)
		e[i] = (struct pvb_sweep_entry){ .status = PVB_PT_PENDING, .exit_code = -1 };
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	if (pvb_csv_read(path, &t) < 0)
		return PVB_EXIT_FAIL;
	pc = pvb_table_col(&t, "point");
	sc = pvb_table_col(&t, "status");
	bc = pvb_table_col(&t, "started_utc");
	ec = pvb_table_col(&t, "ended_utc");
	xc = pvb_table_col(&t, "exit_code");
	for (int a = 0; a < PVB_SWEEP_NAXES; a++)
		ac[a] = pvb_table_col(&t, pvb_sweep_axis_names[a]);
	if (pc < 0 || sc < 0 || bc < 0 || ec < 0 || xc < 0) {
		pvb_err("%s: not a sweep ledger (no point, status, started_utc, ended_utc or "
			"exit_code column)",
			path);
		goto out;
	}
	for (int r = 1; r < t.nrows; r++) {
		char **row = t.rows[r];
		struct pvb_sweep_point pt;
		struct pvb_sweep_entry *en;
		uint64_t id, code;
		int s;

		if (pvb_parse_uint(row[pc], 0, (uint64_t)n - 1, &id)) {
			pvb_err("%s:%d: point '%s' is not one of this sweep's %d points", path,
				r + 1, row[pc], n);
			goto out;
		}
		pvb_sweep_point_get(cfg, (int)id, &pt);
		for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
			const char *want = pvb_sweep_value(cfg, &pt, a);

			if (strcmp(ac[a] < 0 ? "" : row[ac[a]], want ? want : "")) {
				pvb_err("%s:%d: point %d has %s '%s' where the configuration gives "
					"'%s'",
					path, r + 1, (int)id, pvb_sweep_axis_names[a],
					ac[a] < 0 ? "" : row[ac[a]], want ? want : "");
				goto out;
			}
		}
		for (s = 0; s < NSTATUS; s++)
			if (!strcmp(row[sc], status_names[s]))
				break;
		if (s == NSTATUS) {
			pvb_err("%s:%d: unknown status '%s'", path, r + 1, row[sc]);
			goto out;
		}
		en = &e[id];
		en->status = (enum pvb_sweep_status)s;
		snprintf(en->started, sizeof(en->started), "%s", row[bc]);
		snprintf(en->ended, sizeof(en->ended), "%s", row[ec]);
		en->exit_code = pvb_parse_uint(row[xc], 0, 255, &code) ? -1 : (int)code;
	}
	rc = 0;
out:
	pvb_table_free(&t);
	return rc;
}

int pvb_sweep_filter_rows(const char *path, const struct pvb_sweep_entry *e, int n)
{
	struct pvb_table t;
	struct pvb_sbuf b = { 0 };
	int pc, dropped = 0, rc = -1;

	if (pvb_csv_read(path, &t) < 0)
		return -1;
	if (t.nrows == 0) {
		pvb_table_free(&t);
		return 0;
	}
	pc = pvb_table_col(&t, "point");
	if (pc < 0) {
		pvb_err("%s: no point column: not written by a sweep", path);
		goto out;
	}
	for (int r = 0; r < t.nrows; r++) {
		uint64_t id;

		if (r > 0 && (pvb_parse_uint(t.rows[r][pc], 0, (uint64_t)n - 1, &id) ||
			      e[id].status != PVB_PT_COMPLETE)) {
			dropped++;
			continue;
		}
		for (int c = 0; c < t.ncols; c++) {
			if (c)
				pvb_sb_str(&b, ",");
			pvb_sb_csv(&b, t.rows[r][c]);
		}
		pvb_sb_str(&b, "\n");
	}
	if (b.oom)
		pvb_err("%s: out of memory", path);
	else if (!dropped || !pvb_write_file_atomic(path, b.p, b.len))
		rc = dropped;
out:
	free(b.p);
	pvb_table_free(&t);
	return rc;
}
