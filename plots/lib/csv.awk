# Helpers shared by the plots' awk programs (POSIX awk: Debian's default is mawk).

# Split a CSV record into f[1..n] (RFC 4180: quoted fields may hold commas and doubled
# quotes); returns n.
function csv_split(line, f,    n, i, c, q, cur, len) {
	if (index(line, "\"") == 0)
		return split(line, f, ",")
	n = 0; cur = ""; q = 0; len = length(line)
	for (i = 1; i <= len; i++) {
		c = substr(line, i, 1)
		if (q) {
			if (c != "\"")
				cur = cur c
			else if (substr(line, i + 1, 1) == "\"") {
				cur = cur c; i++
			} else
				q = 0
		} else if (c == "\"")
			q = 1
		else if (c == ",") {
			f[++n] = cur; cur = ""
		} else
			cur = cur c
	}
	f[++n] = cur
	return n
}

# col[name] = field index, from the header line.
function csv_header(line, col,    h, n, i) {
	n = csv_split(line, h)
	for (i = 1; i <= n; i++)
		col[h[i]] = i
	return n
}

# The header line into col, and "" when it has every column of need (names separated by
# spaces), else what a plot says on its "S" line: "FILE lacks the a or b column".
function csv_header_need(line, col, need, file,    n, i, names, miss) {
	csv_header(line, col)
	n = split(need, names, " ")
	for (i = 1; i <= n; i++)
		if (!(names[i] in col))
			miss = 1
	if (!miss)
		return ""
	miss = names[1]
	for (i = 2; i <= n; i++)
		miss = miss (i == n ? " or " : ", ") names[i]
	return file " lacks the " miss " column"
}

# The plot is skipped: prints its "S" line, "S why", and ends the program (exit); from a
# main rule, the END rule below then ends it before the plot's own END rules run.
function plot_skip(why) {
	print "S " why
	plot_skipped = 1
	exit
}

END {
	if (plot_skipped)
		exit
}

# The header line into col; a file without every column of need (names separated by spaces)
# skips the plot, saying why: "FILE lacks the a or b column", or the plot's own why if given.
function plot_header(line, col, need, file, why,    msg) {
	if ((msg = csv_header_need(line, col, need, file)) != "")
		plot_skip(why != "" ? why : msg)
}

# Append x to the list a[1..n] unless seen holds it (seen[x] = 1); returns the new n.
function list_add(a, n, x, seen) {
	if (!(x in seen)) {
		seen[x] = 1
		a[++n] = x
	}
	return n
}

# The field named name of the record split into f, "" when the header lacks it.
function field(f, col, name) {
	return (name in col) ? f[col[name]] : ""
}

# The field named name when it is a number above 0, else "".
function field_positive(f, col, name,    v) {
	v = field(f, col, name)
	return (v != "" && v + 0 > 0) ? v : ""
}

# The confidence interval of value v, from the columns lo_name and hi_name: sets ci_lo and
# ci_hi and returns 1, or sets both to v and returns 0 when the row lacks either.
function field_ci(f, col, v, lo_name, hi_name) {
	ci_lo = field(f, col, lo_name)
	ci_hi = field(f, col, hi_name)
	if (ci_lo != "" && ci_hi != "")
		return 1
	ci_lo = ci_hi = v
	return 0
}

# A gnuplot double-quoted string holding s (its quotes and backslashes become ').
function gq(s) {
	gsub(/["\\]/, "'", s)
	return "\"" s "\""
}

# Bytes as 512M, 1G, 1536M (exact binary units), else the number.
function size_label(x) {
	if (x >= 1073741824 && x % 1073741824 == 0)
		return sprintf("%dG", x / 1073741824)
	if (x >= 1048576 && x % 1048576 == 0)
		return sprintf("%dM", x / 1048576)
	return sprintf("%.0f", x)
}

# Sort a[1..n] numerically in place (insertion sort: the lists are short).
function sort_num(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && (a[j] + 0 > t + 0); j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}

# What a key column's value means in a subtitle, "" for the unremarkable default.
function key_text(k, v) {
	if (v == "")
		return ""
	if (k == "vcpus")
		return v (v == 1 ? " vCPU" : " vCPUs")
	if (k == "backing")
		return v " memory"
	if (k == "scrub")
		return v == 1 ? "scrub" : ""
	if (k == "touch")
		return v == 1 ? "" : "touch " v
	if (k == "cleanup_threads")
		return v (v == 1 ? " cleanup thread" : " cleanup threads")
	if (k == "guests")
		return v (v == 1 ? " guest" : " guests")
	if (k == "load")
		return v == "none" ? "no load" : "load " v
	if (k == "mem_policy")
		return v == "none" ? "" : "mem policy " v
	if (k == "placement")
		return "placement " v
	return v
}
