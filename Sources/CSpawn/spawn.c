#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "CSpawn.h"

int medic_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from) {
#if defined(__linux__)
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
#else
    (void)actions; (void)from;
    return ENOSYS;
#endif
}

int medic_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int medic_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
