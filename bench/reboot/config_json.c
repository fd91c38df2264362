/* `pvbench reboot`'s resolved configuration as meta.json's "config" records it. */
#include <jansson.h>

#include "backends/backend.h"
#include "config.h"
#include "pvbench.h"

json_t *pvb_reboot_config_json(const struct pvb_reboot_config *cfg)
{
	json_t *o = json_object(), *sizes = json_array(), *vcpus = json_array();
	json_t *modes = json_array(), *argv = json_array();

	for (int i = 0; i < cfg->nsizes; i++)
		json_array_append_new(sizes, json_integer((json_int_t)cfg->sizes[i]));
	for (int i = 0; i < cfg->nvcpus; i++)
		json_array_append_new(vcpus, json_integer(cfg->vcpus[i]));
	for (int i = 0; i < cfg->nmodes; i++)
		json_array_append_new(modes, json_string(pvb_mode_name(cfg->modes[i])));
	for (int i = 0; i < cfg->argc; i++)
		json_array_append_new(argv, json_string(cfg->argv[i]));
	json_object_set_new(o, "command_line", argv);
	json_object_set_new(o, "backend", json_string(cfg->backend));
	json_object_set_new(o, "sizes_bytes", sizes);
	json_object_set_new(o, "vcpus", vcpus);
	json_object_set_new(o, "modes", modes);
	json_object_set_new(o, "iterations", json_integer(cfg->iterations));
	json_object_set_new(o, "warmup", json_integer(cfg->warmup));
	json_object_set_new(o, "target_ci_pct",
			    cfg->target_ci > 0 ? json_real(cfg->target_ci) : json_null());
	json_object_set_new(o, "backing", json_string(pvb_backing_name(cfg->backing)));
	json_object_set_new(o, "touch", json_real(cfg->touch));
	json_object_set_new(o, "order", json_string(pvb_order_name(cfg->order)));
	json_object_set_new(o, "seed",
			    cfg->seed > INT64_MAX ?
				    json_sprintf("%llu", (unsigned long long)cfg->seed) :
				    json_integer((json_int_t)cfg->seed));
	json_object_set_new(o, "scrub", json_boolean(cfg->scrub));
	json_object_set_new(o, "verify_clean", json_boolean(cfg->verify_clean));
	json_object_set_new(o, "floor", json_boolean(cfg->floor));
	json_object_set_new(o, "floor_loaded", json_boolean(cfg->floor && cfg->floor_loaded));
	{
		char how[64];

		pvb_release_name(&cfg->release, how, sizeof(how));
		json_object_set_new(o, "release", json_string(how));
	}
	json_object_set_new(o, "placement", json_string(cfg->placement));
	json_object_set_new(o, "ref_cpu",
			    cfg->ref_cpu < 0 ? json_null() : json_integer(cfg->ref_cpu));
	json_object_set_new(o, "cleanup_threads", json_integer(cfg->cleanup_threads));
	json_object_set_new(o, "guests", json_integer(cfg->guests));
	json_object_set_new(o, "stagger_ns", json_integer((json_int_t)cfg->stagger_ns));
	json_object_set_new(o, "mem_policy", json_string(cfg->mem_policy));
	json_object_set_new(o, "load", json_string(cfg->load));
	json_object_set_new(o, "timeline", json_boolean(cfg->timeline));
	json_object_set_new(o, "append", json_boolean(cfg->append));
	json_object_set_new(o, "point", cfg->point < 0 ? json_null() : json_integer(cfg->point));
	json_object_set_new(o, "cleanup_start",
			    json_string(pvb_cleanup_start_name(cfg->cleanup_start)));
	json_object_set_new(o, "floor_gap_ns", json_integer((json_int_t)cfg->floor_gap_ns));
	json_object_set_new(o, "ref_iterations", json_integer(cfg->ref_iterations));
	json_object_set_new(o, "sample_interval_ns",
			    json_integer((json_int_t)cfg->sample_interval_ns));
	json_object_set_new(o, "headroom_bytes", json_integer((json_int_t)cfg->headroom));
	json_object_set_new(o, "out_dir", json_string(cfg->out_dir));
	json_object_set_new(o, "host_label", json_string(cfg->host_label));
	json_object_set_new(o, "run_id", json_string(cfg->run_id));
	json_object_set_new(o, "debug_dirty_new_guest", json_boolean(cfg->debug_dirty));
	json_object_set_new(o, "plant", json_string(pvb_plant_name(cfg->plant)));
	json_object_set_new(o, "mem_limit",
			    cfg->mem_limit == PVB_MEM_LIMIT_RAM ?
				    json_string("ram") :
				    json_integer((json_int_t)cfg->mem_limit));
	json_object_set_new(o, "se_image", json_string(cfg->se_image));
	json_object_set_new(o, "se_header", json_string(cfg->se_header));
	json_object_set_new(o, "payload", json_string(cfg->payload));
	json_object_set_new(o, "se_tweak",
			    json_sprintf("0x%llx", (unsigned long long)cfg->se_tweak));
	json_object_set_new(o, "pv_costs", json_string(cfg->pv_costs));
	json_object_set_new(o, "pv_misc",
			    cfg->pv_misc < 0 ? json_string("from cost file") :
					       json_boolean(cfg->pv_misc));
	json_object_set_new(o, "perf", json_boolean(cfg->perf));
	json_object_set_new(o, "trace_marker", json_boolean(cfg->trace_marker));
	return o;
}
