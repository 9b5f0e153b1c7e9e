/* fuzz_provision_answer.c - a provisioner's answer (the stdout of a program,
 * the body of a URL: outside input) on arbitrary bytes: the verdict is done or
 * failed, and the message kept for staff is always a valid UTF-8 string that
 * fits, so it can be stored and shown as JSON. */
#include <assert.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "feature/services/provision.h"
#include "feature/services/services.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > PROVISION_OUTPUT_MAX)
        return 0;
    char message[SERVICE_PROVISION_MESSAGE_MAX + 1];
    provision_status st = provision_parse_answer((const char *)data, size, message, sizeof message);
    assert(st == PROVISION_DONE || st == PROVISION_FAILED);
    assert(strlen(message) < sizeof message);
    json_t *j = json_string(message);
    assert(j);
    json_decref(j);
    return 0;
}
