/* The backend interface: every way of creating, running and destroying a guest is one
 * ops table (like fio's I/O engines). The reboot engine only talks to this. */
#ifndef PVB_BACKEND_H
#define PVB_BACKEND_H
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "host/numapol.h"
#include "host/perfctr.h"
#include "parts.h"

struct pvb_guest;
struct pvb_opt_table;

/* How guest RAM is backed, and in which order the payload writes it. */
enum pvb_backing { PVB_BACKING_ANON, PVB_BACKING_THP, PVB_BACKING_HUGETLB };
enum pvb_order { PVB_ORDER_SEQ, PVB_ORDER_RANDOM };
const char *pvb_backing_name(enum pvb_backing b);
const char *pvb_order_name(enum pvb_order o);

#define PVB_MAX_CLEANUP_THREADS 64

struct pvb_guest_params {
	uint64_t size; /* guest RAM, bytes */
	int vcpus;
	enum pvb_backing backing;
	double touch; /* fraction of each vCPU's share the payload writes */
	enum pvb_order order;
	uint64_t seed;
	bool verify_clean;		 /* payload checks each page reads zero before writing it */
	bool scrub;			 /* destroy zeroes every page before releasing it */
	bool debug_dirty;		 /* test hook: plant old data in the new guest's RAM */
	int cleanup_threads;		 /* threads that share the scrub and release of a destroy */
	bool perf;			 /* --perf: each vCPU thread counts itself (perfctr.h) */
	const struct pvb_mempolicy *mem; /* NULL: the default policy */
	const cpu_set_t *vcpu0_cpus;	 /* NULL: vCPU 0 unpinned */
	/* The reboot loop's lane (0..guests-1): backends that keep one VM across reboots,
	 * as QEMU does for protected guests (pv), key it by this. */
	int lane;
	/* pv, pv-emulated */
	uint64_t mem_limit;    /* KVM memory limit: 0 leave unset, PVB_MEM_LIMIT_RAM the RAM size */
	const char *se_image;  /* a full SE image (pv: required; pv-emulated: optional) */
	const char *se_header; /* with payload: a separate SE header */
	const char *payload;   /* a raw payload loaded at 0 */
	uint64_t se_tweak;     /* the payload's component tweak (raw route) */
	const char *pv_costs;  /* pv-emulated: cost file (NULL: documented defaults) */
	int pv_misc;	       /* pv-emulated: -1 as the cost file says, 0 off, 1 on */
	struct pvb_release_how release; /* --release: how destroy gives guest RAM back (kvm) */
};

#define PVB_MEM_LIMIT_RAM UINT64_MAX

/* Phases of a protected guest's reboot (pv backends), in ns; 0 where not applicable. */
struct pvb_phase_times {
	uint64_t prepare_ns; /* KVM_PV_ASYNC_CLEANUP_PREPARE (async) */
	uint64_t disable_ns; /* KVM_PV_DISABLE: sync, or the fallback when PREPARE is refused */
	uint64_t enable_ns;  /* ENABLE + SET_SEC_PARMS + UNPACK + VERIFY of a new guest */
	uint64_t mem_limit;  /* the limit in force (0: none set) */
	uint64_t exports;    /* pv-emulated: imports that needed an export first */
	int fallback;	     /* PREPARE refused (EINVAL), DISABLE done instead */
};

enum pvb_event { PVB_EV_ALIVE, PVB_EV_POPULATED, PVB_EV_REBOOT, PVB_EV_MAX };

/* What a destroy or cleanup did, in monotonic ns. */
struct pvb_teardown {
	uint64_t t_start, t_end;
	uint64_t cpu_ns;     /* CPU time of the thread that did the work */
	uint64_t vmclose_ns; /* vCPUs and VM released (hypervisor-side teardown) */
	uint64_t scrub_ns;   /* zeroing (with --scrub) */
	uint64_t release_ns; /* returning the memory to the host */
	/* In (callers zero td first): where to count the bytes released so far, for
	 * timelines (may be NULL). */
	volatile uint64_t *progress;
	uint64_t perform_ns; /* pv: KVM_PV_ASYNC_CLEANUP_PERFORM */
	uint64_t disable_ns; /* pv: KVM_PV_DISABLE (sync destroy) */
	bool reaped;	     /* pv: nothing left to do: a fallback DISABLE reaped it */
	/* The cleanup's sub-phases (enum pvb_cleanup_part), tiling [t_start, t_end]. */
	struct pvb_parts parts;
};

struct pvb_backend_ops {
	const char *name;
	const char *description;
	bool emulated; /* a model: every output says so */
	/* Can this host run the backend? 0, or an exit code (USAGE: fixable, SKIP: missing
	 * feature) with the reason, phrased as what to do, in why. */
	int (*probe)(const struct pvb_guest_params *p, char *why, size_t len);
	/* Create a guest: memory, VM, vCPUs, payload; not yet running. Returns 0, or an exit code. */
	int (*create)(const struct pvb_guest_params *p, struct pvb_guest **out);
	/* Start the vCPUs. */
	int (*start)(struct pvb_guest *g);
	/* Wait for ev (the first vCPU for ALIVE, all for POPULATED, vCPU 0 for REBOOT); *t_ns
	 * is when it happened. Returns 0, PVB_EXIT_VERIFY, PVB_EXIT_FAIL or PVB_EXIT_INTERRUPTED. */
	int (*wait)(struct pvb_guest *g, enum pvb_event ev, uint64_t *t_ns);
	/* Let a populated guest go on to request its reboot. */
	int (*resume)(struct pvb_guest *g);
	/* Stop every vCPU (the guest no longer runs). */
	int (*stop)(struct pvb_guest *g);
	/* Take a stopped guest out of service in O(1) for later cleanup. */
	int (*set_aside)(struct pvb_guest *g);
	/* Destroy a stopped (or set-aside) guest completely and free g; safe to call from
	 * any thread. Records what it did in td. Returns 0, or an exit code. */
	int (*destroy)(struct pvb_guest *g, struct pvb_teardown *td);
	/* Bytes of guest RAM the payload reported writing (complete once populated). */
	uint64_t (*populated_bytes)(const struct pvb_guest *g);
	/* Bytes written so far, read while the guest runs (coarse: every few pages). */
	uint64_t (*progress)(const struct pvb_guest *g);
	/* The CPUs vCPU i's thread may run on, read back from the OS. Returns 0, or -1. */
	int (*vcpu_cpus)(const struct pvb_guest *g, int vcpu, cpu_set_t *out);
	/* The memory policy in force on guest RAM, read back ("default", "bind:0", ...). */
	int (*mem_policy)(const struct pvb_guest *g, char *out, size_t len);
	/* Optional (NULL): phase times of the last set_aside/create of g. Returns 0, or -1. */
	int (*phases)(const struct pvb_guest *g, struct pvb_phase_times *out);
	/* Optional: what the backend found on this host, for meta.json (new reference). */
	struct json_t *(*describe)(const struct pvb_guest_params *p);
	/* Optional: give back what the backend keeps across reboots (VMs); end of a run. */
	void (*release)(void);
	/* Optional: the backend's own options (options.h), merged into `pvbench reboot`'s. */
	const struct pvb_opt_table *options;
	/* Optional (NULL), --perf: open counters on each of g's vCPU threads (they count from
	 * now on); and their counts so far, summed over the vCPUs, closing them (a thread that
	 * exits with counters attached pays for their teardown: ~10 us each, on the next
	 * reboot's stop). Return 0, or -1 (nothing counted). */
	int (*vcpu_perf_open)(struct pvb_guest *g);
	int (*vcpu_perf)(struct pvb_guest *g, struct pvb_perf_counts *out);
	/* Optional (NULL): the sub-phases of g's create (enum pvb_create_part), laps from the
	 * create's entry to its last step. Returns 0, or -1. */
	int (*create_parts)(const struct pvb_guest *g, struct pvb_parts *out);
	/* destroy gives guest RAM back as p->release says (--release); false: the backend
	 * keeps the memory across reboots (pv) and ignores it. */
	bool release_strategies;
};

/* The backends of backend.c's table (kvm/backend_kvm.c, pv/backend_pv.c). */
extern const struct pvb_backend_ops pvb_backend_kvm;
extern const struct pvb_backend_ops pvb_backend_pv;
extern const struct pvb_backend_ops pvb_backend_pv_emulated;
/* pv/backend_pv.c: whether the pv backend can run here, its KVM_PV_INFO and a word on
 * pv-emulated, added to the host description's kvm.s390 object. */
void pvb_pv_host_facts(struct json_t *kvm_s390);

/* The backend called name, or NULL. */
const struct pvb_backend_ops *pvb_backend_find(const char *name);
/* The best backend this host offers (for the default job). */
const char *pvb_backend_default(void);
/* The host description (host/sysinfo.h) with what the backends find on this host: under
 * kvm.s390, whether the pv backend can run here and its KVM_PV_INFO. */
struct json_t *pvb_host_json(void);
/* Space-separated names, for messages: the backend table's order, which --backend auto
 * tries. */
const char *pvb_backend_names(void);
/* The i-th backend of the table (the --backend auto order), or NULL past its end. */
const struct pvb_backend_ops *pvb_backend_at(int i);
/* Checked once at start (fio's check_engine_ops): 0 when o has every required hook, else
 * PVB_EXIT_FAIL with the missing hook named. */
int pvb_backend_check(const struct pvb_backend_ops *o);

/* The hooks as the reboot engine calls them: the required ones straight through (checked
 * above), the optional ones (phases, describe, release) doing nothing where absent. */
static inline int pvb_backend_probe(const struct pvb_backend_ops *o,
				    const struct pvb_guest_params *p, char *why, size_t len)
{
	return o->probe(p, why, len);
}

static inline int pvb_guest_create(const struct pvb_backend_ops *o,
				   const struct pvb_guest_params *p, struct pvb_guest **out)
{
	return o->create(p, out);
}

static inline int pvb_guest_start(const struct pvb_backend_ops *o, struct pvb_guest *g)
{
	return o->start(g);
}

static inline int pvb_guest_wait(const struct pvb_backend_ops *o, struct pvb_guest *g,
				 enum pvb_event ev, uint64_t *t_ns)
{
	return o->wait(g, ev, t_ns);
}

static inline int pvb_guest_resume(const struct pvb_backend_ops *o, struct pvb_guest *g)
{
	return o->resume(g);
}

static inline int pvb_guest_stop(const struct pvb_backend_ops *o, struct pvb_guest *g)
{
	return o->stop(g);
}

static inline int pvb_guest_set_aside(const struct pvb_backend_ops *o, struct pvb_guest *g)
{
	return o->set_aside(g);
}

static inline int pvb_guest_destroy(const struct pvb_backend_ops *o, struct pvb_guest *g,
				    struct pvb_teardown *td)
{
	return o->destroy(g, td);
}

static inline uint64_t pvb_guest_populated(const struct pvb_backend_ops *o,
					   const struct pvb_guest *g)
{
	return o->populated_bytes(g);
}

static inline uint64_t pvb_guest_progress(const struct pvb_backend_ops *o,
					  const struct pvb_guest *g)
{
	return o->progress(g);
}

static inline int pvb_guest_vcpu_cpus(const struct pvb_backend_ops *o, const struct pvb_guest *g,
				      int vcpu, cpu_set_t *out)
{
	return o->vcpu_cpus(g, vcpu, out);
}

static inline int pvb_guest_mem_policy(const struct pvb_backend_ops *o, const struct pvb_guest *g,
				       char *out, size_t len)
{
	return o->mem_policy(g, out, len);
}

/* Whether the backend reports phase times at all. */
static inline bool pvb_backend_has_phases(const struct pvb_backend_ops *o)
{
	return o->phases != NULL;
}

/* The phase times of g's last set-aside or create into *out, which the caller zeroed; left
 * zero (and -1) when the backend has none or fails to say. */
static inline int pvb_guest_phases(const struct pvb_backend_ops *o, const struct pvb_guest *g,
				   struct pvb_phase_times *out)
{
	if (!o->phases)
		return -1;
	if (o->phases(g, out)) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

/* --perf: count g's vCPU threads from now on; -1 when the backend cannot. */
static inline int pvb_guest_vcpu_perf_open(const struct pvb_backend_ops *o, struct pvb_guest *g)
{
	return o->vcpu_perf_open ? o->vcpu_perf_open(g) : -1;
}

/* --perf: g's vCPU counts since pvb_guest_vcpu_perf_open, which it closes; -1 when the
 * backend has none. */
static inline int pvb_guest_vcpu_perf(const struct pvb_backend_ops *o, struct pvb_guest *g,
				      struct pvb_perf_counts *out)
{
	memset(out, 0, sizeof(*out));
	return o->vcpu_perf ? o->vcpu_perf(g, out) : -1;
}

/* The sub-phases of g's create into *out, stretched over the caller's window [start, end]
 * (pvb_parts_fit); no part (first < 0) when the backend has none. */
static inline void pvb_guest_create_parts(const struct pvb_backend_ops *o,
					  const struct pvb_guest *g, uint64_t start, uint64_t end,
					  struct pvb_parts *out)
{
	pvb_parts_begin(out, start);
	out->t_end = start;
	if (!o->create_parts || o->create_parts(g, out)) {
		pvb_parts_begin(out, start);
		return;
	}
	pvb_parts_fit(out, start, end);
}

/* What the backend found on this host, for meta.json; NULL when it does not say. */
static inline struct json_t *pvb_backend_describe(const struct pvb_backend_ops *o,
						  const struct pvb_guest_params *p)
{
	return o->describe ? o->describe(p) : NULL;
}

/* End of a run: give back what the backend keeps across reboots. */
static inline void pvb_backend_release(const struct pvb_backend_ops *o)
{
	if (o->release)
		o->release();
}

#endif
