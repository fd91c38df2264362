# timeline.csv -> one async reboot's memory over time: the last iteration of the first
# async (point, size, guest) in the file.
#
#   awk -f csv.awk -f timeline.awk timeline.csv timeline.csv     (two passes)
#
# Prints "S reason" when there is no async sample, else "D t_ms mem_available rss
# cleanup_done populated" lines and gnuplot commands ("C ..."): an arrow and a label per
# event, the x range, the unit, what was chosen. MemAvailable and RSS are changes since the
# sample nearest the reboot request (their values then go to the subtitle), all four in MiB,
# or GiB from 2 GiB guests on; "?" where a value is missing. When the directory has a
# sweep's points.csv, the point's axis values describe it.

NR == FNR && FNR == 1 {
	csv_header($0, col)
	if (!("t_ms" in col) || !("mode" in col) || !("event" in col)) {
		print "S timeline.csv lacks t_ms, mode or event columns"
		bad = 1
		exit
	}
	next
}

NR == FNR {
	csv_split($0, f)
	if (f[col["mode"]] != "async")
		next
	k = field(f, col, "point") SUBSEP field(f, col, "size_bytes") SUBSEP field(f, col, "guest")
	if (chosen == "") {
		chosen = k
		point = field(f, col, "point")
		size = field(f, col, "size_bytes")
		guest = field(f, col, "guest")
	}
	if (k == chosen && (iter == "" || field(f, col, "iteration") + 0 > iter + 0))
		iter = field(f, col, "iteration")
	next
}

FNR == 1 {
	next
}

{
	csv_split($0, f)
	if (f[col["mode"]] != "async" || field(f, col, "iteration") != iter)
		next
	k = field(f, col, "point") SUBSEP field(f, col, "size_bytes") SUBSEP field(f, col, "guest")
	if (k != chosen)
		next
	t = f[col["t_ms"]] + 0
	if (f[col["event"]] != "") {
		ev_name[++nev] = f[col["event"]]
		ev_t[nev] = t
		next
	}
	n = ++nsamples
	ts[n] = t
	ma[n] = field(f, col, "mem_available_bytes")
	rs[n] = field(f, col, "rss_bytes")
	cd[n] = field(f, col, "cleanup_done_bytes")
	pp[n] = field(f, col, "populated_bytes")
	if (n == 1 || t < xmin)
		xmin = t
	if (n == 1 || t > xmax)
		xmax = t
}

function scaled(x, base) {
	return x == "" ? "?" : sprintf("%.6g", (x - base) / unit)
}

function human(x) {
	return x >= 1073741824 ? sprintf("%.2f GiB", x / 1073741824) : sprintf("%.0f MiB", x / 1048576)
}

# "size=1G placement=same-pu ..." from the sweep's ledger next to timeline.csv.
function describe(    path, line, h, n, v, i, d, skip) {
	path = FILENAME
	sub(/[^\/]*$/, "", path)
	path = path "points.csv"
	skip["point"] = skip["status"] = skip["started_utc"] = skip["ended_utc"] = skip["exit_code"] = 1
	if ((getline line < path) <= 0)
		return ""
	n = csv_split(line, h)
	d = ""
	while ((getline line < path) > 0) {
		csv_split(line, v)
		if (v[1] != point)
			continue
		for (i = 1; i <= n; i++)
			if (!(h[i] in skip) && v[i] != "")
				d = d (d != "" ? " " : "") h[i] "=" v[i]
	}
	close(path)
	return d
}

END {
	if (bad)
		exit
	if (chosen == "") {
		print "S no async rows in timeline.csv"
		exit
	}
	if (nsamples == 0) {
		print "S no samples for the async reboot chosen (point " point ", iteration " iter ")"
		exit
	}
	unit = size + 0 >= 2147483648 ? 1073741824 : 1048576
	b = 1
	for (i = 1; i <= nsamples; i++)
		if (ts[i] <= 0 && (ts[b] > 0 || ts[i] > ts[b]))
			b = i
	for (i = 1; i <= nsamples; i++)
		printf "D %.3f %s %s %s %s\n", ts[i], scaled(ma[i], ma[b]), scaled(rs[i], rs[b]), \
			scaled(cd[i], 0), scaled(pp[i], 0)
	printf "C unit = \"%s\"\n", unit == 1048576 ? "MiB" : "GiB"
	print "C base = " gq("at the request: MemAvailable " human(ma[b]) ", RSS " human(rs[b]))
	# events in time order; labels above the plot, in rows when events are close
	for (i = 2; i <= nev; i++)
		for (j = i; j > 1 && (ev_t[j - 1] > ev_t[j]); j--) {
			t = ev_t[j]; ev_t[j] = ev_t[j - 1]; ev_t[j - 1] = t
			s = ev_name[j]; ev_name[j] = ev_name[j - 1]; ev_name[j - 1] = s
		}
	for (i = 1; i <= nev; i++)
		if (ev_t[i] > xmax)
			xmax = ev_t[i]
	row = 0
	rows = 1
	for (i = 1; i <= nev; i++) {
		row = (i > 1 && (ev_t[i] - ev_t[i - 1] < (xmax - xmin) / 6)) ? row + 1 : 0
		if (row + 1 > rows)
			rows = row + 1
		printf "C set arrow %d from first %.3f, graph 0 to first %.3f, graph 1 nohead back " \
			"lc rgb \"#909090\" dt 2\n", i, ev_t[i], ev_t[i]
		printf "C set label %d %s at first %.3f, graph 1 left offset 0.2, %.1f " \
			"font \",9\" tc rgb \"#505050\"\n", i, gq(ev_name[i]), ev_t[i], 0.6 + 1.2 * row
	}
	printf "C ev_rows = %d\n", rows
	d = describe()
	if (d == "")
		d = size_label(size) " async"
	printf "C xmin = %.3f; xmax = %.3f\n", xmin, xmax
	d = (point != "" ? "point " point ": " : "") d ", iteration " iter ", guest " guest
	print "C what = " gq(d)
}
