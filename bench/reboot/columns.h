/* The columns of iterations.csv and timeline.csv: one X-macro list each (stress-ng's
 * core-stressors.h style), from which the enum, the names and the count are generated, so
 * that they cannot drift apart. X(ID, "name"), in CSV order. */
#ifndef PVB_COLUMNS_H
#define PVB_COLUMNS_H

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
	X(RUN_ID, "run_id")                   \
	X(HOST, "host")

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
