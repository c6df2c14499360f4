#ifndef MEDIC_CCURL_SHIM_H
#define MEDIC_CCURL_SHIM_H
#include <curl/curl.h>
#endif
