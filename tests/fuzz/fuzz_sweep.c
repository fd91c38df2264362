/* libFuzzer target: the sweep INI parser (pvb_sweep_parse_string). A refusal has a message; an
 * accepted file has an axis, counts within their limits, every value and option non-NULL,
 * and its JSON form can be built. Freed in both cases (LeakSanitizer checks). */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pvbench.h"
#include "sweep/sweep.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet();
	return 0;
}

static void check_config(const struct pvb_sweep_config *cfg)
{
	int axes = 0;
	json_t *j;

	for (int a = 0; a < PVB_SWEEP_NAXES; a++) {
		FUZZ_CHECK(cfg->nvalues[a] >= 0 && cfg->nvalues[a] <= PVB_SWEEP_MAX_VALUES);
		axes += cfg->nvalues[a] > 0;
		for (int v = 0; v < cfg->nvalues[a]; v++)
			FUZZ_CHECK(cfg->values[a][v] != NULL);
	}
	FUZZ_CHECK(axes > 0);
	FUZZ_CHECK(cfg->noptions >= 0 && cfg->noptions <= PVB_SWEEP_MAX_OPTIONS);
	for (int o = 0; o < cfg->noptions; o++)
		FUZZ_CHECK(cfg->options[o].key && cfg->options[o].value);
	FUZZ_CHECK(memchr(cfg->name, '\0', sizeof(cfg->name)) != NULL);
	j = pvb_sweep_config_json(cfg);
	FUZZ_CHECK(j != NULL);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct pvb_sweep_config *cfg = malloc(sizeof(*cfg));
	int rc;

	if (!cfg)
		abort();
	rc = pvb_sweep_parse_string(text, "fuzz.ini", cfg);
	if (rc == 0)
		check_config(cfg);
	else
		FUZZ_CHECK(rc == PVB_EXIT_USAGE && cfg->error[0] != '\0');
	pvb_sweep_config_free(cfg);
	free(cfg);
	free(text);
	return 0;
}
