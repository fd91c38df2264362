/* The columns of iterations.csv and timeline.csv: one X-macro list each (stress-ng's
 * core-stressors.h style), from which the enum, the names and the count are generated, so
 * that they cannot drift apart. X(ID, "name"), in CSV order. */
#ifndef PVB_COLUMNS_H
#define PVB_COLUMNS_H

#include "host/perfctr.h"
#include "host/vmstat.h"
/* The sub-phases (backends/parts.h) in the order of enum pvb_create_part and
 * enum pvb_cleanup_part, then how the memory went back and when the cleanup started. */
#define PVB_PART_COLUMNS(X)                      \
	X(CREATE_MMAP, "create_mmap_ns")         \
	X(CREATE_ADVISE, "create_advise_ns")     \
	X(CREATE_MEMSLOT, "create_memslot_ns")   \
	X(CREATE_VM, "create_vm_ns")             \
	X(CREATE_LOAD, "create_load_ns")         \
	X(CLEANUP_VCPU, "cleanup_vcpu_ns")       \
	X(CLEANUP_VM, "cleanup_vm_ns")           \
	X(CLEANUP_MEMSLOT, "cleanup_memslot_ns") \
	X(CLEANUP_SCRUB, "cleanup_scrub_ns")     \
	X(CLEANUP_RELEASE, "cleanup_release_ns") \
	X(RELEASE_HOW, "release")                \
	X(CLEANUP_START_AT, "cleanup_start")

#define PVB_ITERATION_COLUMNS(X)              \
	X(BACKEND, "backend")                 \
	X(SIZE, "size_bytes")                 \
	X(MODE, "mode")                       \
	X(ITER, "iteration")                  \
	X(REBOOT, "reboot_ns")                \
	X(TEARDOWN, "teardown_ns")            \
	X(CREATE, "create_ns")                \
	X(POPULATE, "populate_ns")            \
	X(CLEANUP, "cleanup_ns")              \
	X(CLEANUP_CPU, "cleanup_cpu_ns")      \
	X(MEMBACK, "memory_back_ns")          \
	X(STOP, "stop_ns")                    \
	X(START, "start_ns")                  \
	X(VMCLOSE, "vmclose_ns")              \
	X(SCRUB_NS, "scrub_ns")               \
	X(RELEASE, "release_ns")              \
	X(MEMLOW, "mem_low_bytes")            \
	X(POPULATED, "populated_bytes")       \
	X(HOST_TOUCH, "host_touch_ns")        \
	X(HOST_MUNMAP, "host_munmap_ns")      \
	X(HOST_MEMSET, "host_memset_ns")      \
	X(VCPUS, "vcpus")                     \
	X(BACKING, "backing")                 \
	X(SCRUB, "scrub")                     \
	X(TOUCH, "touch")                     \
	X(ORDER, "order")                     \
	X(TREQ, "t_request_ns")               \
	X(CLEANUP_START, "cleanup_start_ns")  \
	X(POINT, "point")                     \
	X(GUEST, "guest")                     \
	X(GUESTS, "guests")                   \
	X(CTHREADS, "cleanup_threads")        \
	X(PLACEMENT, "placement")             \
	X(PLACEMENT_CPUS, "placement_cpus")   \
	X(VCPU_CPUS, "vcpu_cpus")             \
	X(MEMPOL, "mem_policy")               \
	X(MEMPOL_ACTUAL, "mem_policy_actual") \
	X(LOAD, "load")                       \
	X(INTERFERENCE, "interference")       \
	X(PEAK_RSS, "peak_rss_bytes")         \
	X(MEMBACK_PCP, "memory_back_pcp_ns")  \
	X(PREPARE, "prepare_ns")              \
	X(PERFORM, "perform_ns")              \
	X(DISABLE, "disable_ns")              \
	X(ENABLE, "enable_ns")                \
	X(FALLBACK, "fallback")               \
	X(MEM_LIMIT, "mem_limit_bytes")       \
	X(EXPORTS, "exports")                 \
	PVB_PART_COLUMNS(X)                   \
	PVB_COUNTER_COLUMNS(X)                \
	X(RUN_ID, "run_id")                   \
	X(HOST, "host")

/* Kernel counters of a reboot: /proc/vmstat deltas of the reboot (request to the new guest
 * populated) and of the cleanup (its destroy), then with --perf each thread role's
 * perf_event_open counts, and whether any of them was multiplexed (scaled); then vmstat
 * deltas of the critical path alone (request to the new guest alive; a floor: its create to
 * alive), which the floors have too. */
#define PVB_VMSTAT_COL_REBOOT(X, id, name)  X(VMR_##id, "vmstat_reboot_" name)
#define PVB_VMSTAT_COL_CLEANUP(X, id, name) X(VMC_##id, "vmstat_cleanup_" name)
#define PVB_PERF_COL_VCPU(X, id, name)	    X(PFV_##id, "perf_vcpu_" name)
#define PVB_PERF_COL_MAIN(X, id, name)	    X(PFM_##id, "perf_main_" name)
#define PVB_PERF_COL_CLEANUP(X, id, name)   X(PFC_##id, "perf_cleanup_" name)
#define PVB_VMSTAT_COL_CRIT(X, id, name)    X(VMA_##id, "vmstat_crit_" name)
#define PVB_COUNTER_COLUMNS(X)                       \
	PVB_VMSTAT_FIELDS(PVB_VMSTAT_COL_REBOOT, X)  \
	PVB_VMSTAT_FIELDS(PVB_VMSTAT_COL_CLEANUP, X) \
	PVB_PERF_COUNTERS(PVB_PERF_COL_VCPU, X)      \
	PVB_PERF_COUNTERS(PVB_PERF_COL_MAIN, X)      \
	PVB_PERF_COUNTERS(PVB_PERF_COL_CLEANUP, X)   \
	X(PERF_SCALED, "perf_scaled")                \
	PVB_VMSTAT_FIELDS(PVB_VMSTAT_COL_CRIT, X)

#define PVB_TIMELINE_COLUMNS(X)               \
	X(POINT, "point")                     \
	X(GUEST, "guest")                     \
	X(MODE, "mode")                       \
	X(SIZE, "size_bytes")                 \
	X(ITER, "iteration")                  \
	X(T_MS, "t_ms")                       \
	X(AVAIL, "mem_available_bytes")       \
	X(RSS, "rss_bytes")                   \
	X(CLEANUP_DONE, "cleanup_done_bytes") \
	X(POPULATED, "populated_bytes")       \
	X(EVENT, "event")                     \
	X(RUN_ID, "run_id")                   \
	X(HOST, "host")

#define PVB_ITERATION_ENUM(id, name) C_##id,
#define PVB_TIMELINE_ENUM(id, name)  TL_##id,
/* The initializer of a names array: { PVB_ITERATION_COLUMNS(PVB_COLUMN_NAME) } */
#define PVB_COLUMN_NAME(id, name)    name,

enum col { PVB_ITERATION_COLUMNS(PVB_ITERATION_ENUM) C_NCOLS };
enum timeline_col { PVB_TIMELINE_COLUMNS(PVB_TIMELINE_ENUM) TL_NCOLS };

#endif
