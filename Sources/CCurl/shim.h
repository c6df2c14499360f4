#ifndef MEDIC_CCURL_SHIM_H
#define MEDIC_CCURL_SHIM_H
#include <curl/curl.h>

/* Swift cannot call C variadic functions, so each argument type of
   curl_easy_setopt / curl_easy_getinfo gets one typed wrapper. */

static inline CURLcode medic_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode medic_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode medic_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode medic_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode medic_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode medic_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/* CURL_BLOB_COPY: libcurl keeps its own copy, so the caller's buffer may go away. */
static inline CURLcode medic_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(handle, option, &blob);
}

static inline CURLcode medic_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode medic_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* CURLMsg.data is a union; Swift reads it more plainly through this accessor. */
static inline CURLcode medic_message_result(const CURLMsg *message) {
    return message->data.result;
}

#endif
