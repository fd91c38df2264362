/* The device the pv backends drive and the VM each reboot lane keeps across reboots, as QEMU
 * keeps one VM for a protected guest: opened on the first guest of a lane, replaced when the
 * lane's guest shape changes, released at the end of the run (backend_pv.c's guests live on
 * these VMs). */
#ifndef PVB_PV_LANE_H
#define PVB_PV_LANE_H
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "backends/backend.h"
#include "pv_image.h"
#include "pvdev.h"
#include "s390x/guest_abi.h"

struct pv_lane {
	const struct pvdev_ops *d;
	struct pvdev_vm *vm;
	uint8_t *ram;
	uint64_t size, mem_limit;
	int nvcpus;
	struct pvdev_vcpu *vcpus[PVB_S390_MAX_VCPUS];
	struct pv_image img;
	int guests;		 /* guests alive on this VM */
	struct pvb_guest *aside; /* set aside, PERFORM not started */
	pthread_mutex_t lock;
	bool lock_ready;
};

/* The backend's probe on device d: 0, or an exit code with why phrased as what to do. */
int pv_dev_probe(const struct pvdev_ops *d, const struct pvb_guest_params *p, char *why,
		 size_t len);
/* The lane's VM on device d, ready for a guest of shape p (the device opened and the VM
 * (re)created as needed, its steps lapped into cp's create parts). Returns 0, or an exit
 * code (diagnosed). */
int pv_lane_get(const struct pvdev_ops *d, const struct pvb_guest_params *p, struct pv_lane **out,
		struct pvb_parts *cp);
/* pv-emulated: imports on the lane's VM so far that needed an export first; 0 for pv. */
uint64_t pv_lane_exports(struct pv_lane *l);
/* What device d offers on this host, for meta.json. */
json_t *pv_dev_describe(const struct pvdev_ops *d, const struct pvb_guest_params *p);
/* Close every lane's VM (the backends' release hook). */
void pv_lanes_release(void);

#endif
