# The protected-guest commands against guest size (pv backends): sync DISABLE, async
# PREPARE, async PERFORM (on the cleanup thread), the DISABLE of async reboots whose PREPARE
# was refused (fallback), and ENABLE+SET_SEC_PARMS+UNPACK+VERIFY. Medians, bars p5..p95.
#
#   gnuplot -c plots/pv_commands.gp DIR [png|svg]     writes DIR/pv_commands.png|svg
#
# Input: DIR/summary.csv. A run without these metrics (kvm backend) draws nothing, exit 0.

name = "pv_commands"
if (ARGC < 1 || ARG1 eq "") {
	print "usage: gnuplot -c ".name.".gp DIR [png|svg]"
	exit status 2
}
dir = ARG1
fmt = (ARGC >= 2 && ARG2 ne "") ? ARG2 : "png"
if (fmt ne "png" && fmt ne "svg") {
	print name.".gp: format must be png or svg, not ".fmt
	exit status 2
}
q = ""
do for [i = 1:strlen(dir)] { c = dir[i:i]; q = q.(c eq "'" ? "'\\''" : c) }
csv = "'".q."/summary.csv'"
if (system("test -r ".csv." && echo ok") ne "ok") {
	print name.".gp: cannot read ".dir."/summary.csv"
	exit status 1
}
sq(s) = "'".s."'"

# Series: "mode command" pairs, in a fixed order; fallbacks per async size as "size k/n".
# (A PREPARE that was refused at every reboot of a size is left out: its time is that of
# the refusal; the fallback DISABLE series shows what those reboots cost.)
AWK_ROWS = 'BEGIN { FS = ","; o["sync disable"] = 1; o["async prepare"] = 2; \
		o["async perform"] = 3; o["async disable"] = 4; o["sync enable"] = 5 } \
	NR > 1 && $3 == "async" && $4 == "fallback" { fb[$2] = $13 + 0 } \
	NR > 1 && (($3 " " $4) in o) && $6 != "" && $6 + 0 > 0 { \
		r[++n] = sprintf("%d %s %s %.0f %.6f %.6f %.6f", o[$3 " " $4], $3, $4, $2, \
			$6 / 1e6, ($7 != "" ? $7 : $6) / 1e6, ($10 != "" ? $10 : $6) / 1e6); \
		sz[n] = $2; pr[n] = ($3 " " $4) == "async prepare" } \
	END { for (i = 1; i <= n; i++) if (!(pr[i] && fb[sz[i]] >= 1)) print r[i] }'
rows = "awk ".sq(AWK_ROWS)." ".csv." | sort -k1,1n -k4,4n"
AWK_SERIES = '{ if (!($1 in s)) { s[$1] = 1; printf "%s%s_%s", n++ ? " " : "", $2, $3 } }'
series = system(rows." | awk ".sq(AWK_SERIES))
if (words(series) == 0) { exit }
AWK_FB = 'BEGIN { FS = "," } NR > 1 && $3 == "async" && $4 == "fallback" { \
		f += $13 * $5; n += $5 } END { if (n) printf "%.0f of %d async reboots", f, n }'
fallbacks = system("awk ".sq(AWK_FB)." ".csv)
AWK_BACKEND = 'BEGIN { FS = "," } NR > 1 && $3 != "host" && $1 != "" && !($1 in g) { \
		g[$1] = 1; l = l (n++ ? ", " : "") $1 } END { printf "%s", l }'
backend = system("awk ".sq(AWK_BACKEND)." ".csv)
emulated = strstrt(backend, "pv-emulated") > 0
AWK_BLOCKS = '{ if (NR > 1 && $1 != p) printf "\n\n"; p = $1; print $4, $5, $6, $7 }'
set print $data
d = system(rows." | awk ".sq(AWK_BLOCKS))
while (strlen(d) > 0) {
	p = strstrt(d, "\n")
	if (p == 0) { line = d; d = "" } else { line = d[1:p - 1]; d = d[p + 1:] }
	print line
}
unset print

set encoding utf8
if (fmt eq "svg") {
	set terminal svg size 1000,620 dynamic font "DejaVu Sans,13" background "white" noenhanced
} else {
	set terminal pngcairo size 1000,620 font "DejaVu Sans,11" noenhanced
}
set output dir."/".name.".".fmt
set title "Protected-guest commands vs guest size: ".backend.(emulated ? " (EMULATED MODEL)" : "") \
	."\nmedians, bars p5–p95".(fallbacks ne "" ? "; PREPARE refused, DISABLE instead: ".fallbacks : "")
label(s) = s eq "sync_disable" ? "sync: KVM_PV_DISABLE" : \
	s eq "async_prepare" ? "async: PREPARE (critical path)" : \
	s eq "async_perform" ? "async: PERFORM (cleanup thread)" : \
	s eq "async_disable" ? "async: DISABLE after a refused PREPARE" : \
	"ENABLE+SET_SEC_PARMS+UNPACK+VERIFY"
color(s) = s eq "sync_disable" ? "#d62728" : s eq "async_prepare" ? "#1f77b4" : \
	s eq "async_perform" ? "#2ca02c" : s eq "async_disable" ? "#ff7f0e" : "#7f7f7f"
set logscale x 2
set logscale y 10
set format x "%.0b %BB"
set format y "%g"
set xlabel "guest memory size"
set ylabel "ms (log scale)"
set grid xtics ytics lt 1 lc rgb "#e0e0e0" lw 1
set border 3 lw 1
set tics nomirror out
set key outside right top vertical Left reverse samplen 3 spacing 1.2
set offsets graph 0.05, graph 0.05, 0, 0
plot for [i = 1:words(series)] $data index (i - 1) using 1:2:3:4 with yerrorbars \
		lc rgb color(word(series, i)) pt 7 notitle, \
	for [i = 1:words(series)] $data index (i - 1) using 1:2 with linespoints lw 2 \
		lc rgb color(word(series, i)) pt 7 title label(word(series, i))
