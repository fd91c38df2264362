# summary.csv -> the protected-guest commands against guest size: one panel per
# configuration that varies (see facets.awk), one line per command.
#
#   awk -f csv.awk -f facets.awk -f panels.awk -f pv_commands.awk summary.csv
#
# Series, in this order: sync DISABLE, async PREPARE, async PERFORM (on the cleanup thread),
# the DISABLE of async reboots whose PREPARE was refused (fallback), ENABLE+SET_SEC_PARMS+
# UNPACK+VERIFY. A PREPARE refused at every reboot of a size is left out (its time is that
# of the refusal; the fallback DISABLE shows what those reboots cost). Prints "S reason"
# without these metrics (kvm backend), else what panels.awk emits (bmode[] holds the series
# name, e.g. "async_prepare"), "C fallbacks" and "D size median_ms p5_ms p95_ms" blocks.

BEGIN {
	nmodes = split("sync_disable async_prepare async_perform async_disable sync_enable",
		mode_name, " ")
	for (i = 1; i <= nmodes; i++)
		series_rank[mode_name[i]] = i
}

NR == 1 {
	ncols = csv_header($0, col)
	next
}

{
	csv_split($0, f)
	m = field(f, col, "mode")
	me = field(f, col, "metric")
	if (m == "async" && me == "fallback") {
		fk = facet_key_only(f, col)
		fb[fk, field(f, col, "size_bytes") + 0] = field(f, col, "mean_ns") + 0
		fb_n += field(f, col, "n")
		fb_k += field(f, col, "mean_ns") * field(f, col, "n")
		next
	}
	s = m "_" me
	v = field(f, col, "median_ns")
	if (!(s in series_rank) || v == "" || v + 0 <= 0)
		next
	r = ++nrows
	rf[r] = f_copy(f)
	rs[r] = s
	rsz[r] = field(f, col, "size_bytes") + 0
	med = v / 1e6
	lo = field(f, col, "p5_ns") != "" ? field(f, col, "p5_ns") / 1e6 : med
	hi = field(f, col, "p95_ns") != "" ? field(f, col, "p95_ns") / 1e6 : med
	rtext[r] = sprintf("%.0f %.6f %.6f %.6f", rsz[r], med, lo, hi)
	rlo[r] = lo
	rhi[r] = hi
}

# The row's key values joined (the facet key facet_add would give), without recording it.
function facet_key_only(f, col,    i, k) {
	k = ""
	for (i = 1; i <= nfkeys; i++)
		k = k (i > 1 ? SUBSEP : "") field(f, col, fkeys[i])
	return k
}

# The fields of f joined by the CSV separator, to split again in END.
function f_copy(f,    i, s) {
	s = ""
	for (i = 1; i <= ncols; i++)
		s = s (i > 1 ? "\034" : "") f[i]
	return s
}

END {
	for (r = 1; r <= nrows; r++) {
		split(rf[r], g, "\034")
		fk = facet_key_only(g, col)
		if (rs[r] == "async_prepare" && fb[fk, rsz[r]] >= 1)
			continue
		fk = facet_add(g, col)
		if (!((fk, rs[r], rsz[r]) in row))
			series_add(fk, rs[r], rsz[r])
		row[fk, rs[r], rsz[r]] = rtext[r]
		range_add(rsz[r], rlo[r], rhi[r])
	}
	if (nrange == 0) {
		print "S no protected-guest command rows in summary.csv (pv backends only)"
		exit
	}
	facet_finish()
	facet_emit_panels()
	emit_series_blocks()
	emit_size_axis()
	print "C fallbacks = " gq(fb_n > 0 ? sprintf("%.0f of %d async reboots", fb_k, fb_n) : "")
}
