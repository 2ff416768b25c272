/*
 * test_csvspectrum.c - the reader against the csv-spectrum suite: every
 * CSV in tests/data/csv-spectrum/csvs read untyped must give
 * exactly the rows of the matching JSON file (read with jansson).
 *
 * location_coordinates.csv has bare quotes inside an unquoted cell
 * (37°36'37.8"N, with U+FFFD for the degree sign): they are read as
 * literal characters, as spreadsheets read them.  Its JSON file is a single
 * object rather than an array, and gives the phone number as 1234567890
 * while the CSV says 2095257564 (an upstream slip), so for that one cell
 * the CSV's own text is the expectation.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "input.h"
#include "mem.h"
#include "record.h"
#include "unit.h"

#define SPECTRUM "tests/data/csv-spectrum/"

static void location_coordinates(const char *name)
{
	char csv[512];
	struct in_opts o = { FMT_CSV, ENC_AUTO, 0 };
	struct input *in;
	struct rec r;
	struct err e;
	json_t *want;

	snprintf(csv, sizeof csv, SPECTRUM "csvs/%s", name);
	want = json_load_file(SPECTRUM "json/location_coordinates.json", 0, NULL);
	CHECK(want != NULL && json_is_object(want));
	in = in_open(csv, &o, &e);
	CHECK(in != NULL);
	if (in == NULL || want == NULL) {
		json_decref(want);
		if (in != NULL)
			in_close(in);
		return;
	}
	rec_init(&r);
	CHECK_INT(in_next(in, &r, &e), IN_REC);
	CHECK_INT(r.n, 4);
	CHECK_STR(rec_get(&r, "Contact Phone Number"), "2095257564");
	CHECK_STR(rec_get(&r, "Location Coordinates"), json_string_value(
	    json_object_get(want, "Location Coordinates")));
	CHECK_STR(rec_get(&r, "Cities"), json_string_value(json_object_get(want, "Cities")));
	CHECK_STR(rec_get(&r, "Counties"), json_string_value(json_object_get(want, "Counties")));
	CHECK_INT(in_next(in, &r, &e), IN_EOF);
	rec_free(&r);
	in_close(in);
	json_decref(want);
}

static void compare_file(const char *name)
{
	char csv[512], js[512];
	struct in_opts o = { FMT_CSV, ENC_AUTO, 0 };
	struct input *in;
	struct rec r;
	struct err e;
	json_t *want, *row;
	size_t i, k;
	int rc;

	snprintf(csv, sizeof csv, SPECTRUM "csvs/%s", name);
	snprintf(js, sizeof js, SPECTRUM "json/%.*s.json",
	    (int)(strlen(name) - 4), name);
	want = json_load_file(js, 0, NULL);
	CHECK(want != NULL && json_is_array(want));
	if (want == NULL)
		return;
	in = in_open(csv, &o, &e);
	CHECK(in != NULL);
	if (in == NULL) {
		json_decref(want);
		return;
	}
	rec_init(&r);
	for (i = 0; (rc = in_next(in, &r, &e)) == IN_REC; i++) {
		row = json_array_get(want, i);
		CHECK(row != NULL);
		if (row == NULL)
			break;
		CHECK_INT(r.n, json_object_size(row));
		for (k = 0; k < r.n; k++) {
			json_t *v = json_object_get(row, rec_key(&r, k));

			CHECK(v != NULL);
			if (v == NULL) {
				fprintf(stderr, "%s: key %s\n", name, rec_key(&r, k));
				continue;
			}
			CHECK_STR(rec_val(&r, k), json_string_value(v));
		}
	}
	if (rc != IN_EOF)
		fprintf(stderr, "%s: %s\n", name, e.msg);
	CHECK_INT(rc, IN_EOF);
	CHECK_INT(i, json_array_size(want));
	rec_free(&r);
	in_close(in);
	json_decref(want);
}

int main(void)
{
	DIR *d;
	struct dirent *de;
	size_t n;
	int files = 0;

	mem_setup();
	if ((d = opendir(SPECTRUM "csvs")) == NULL) {
		perror(SPECTRUM "csvs");
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n > 4 && strcmp(de->d_name + n - 4, ".csv") == 0) {
			if (strcmp(de->d_name, "location_coordinates.csv") == 0)
				location_coordinates(de->d_name);
			else
				compare_file(de->d_name);
			files++;
		}
	}
	closedir(d);
	CHECK(files >= 12);
	return unit_done("csvspectrum");
}
