#ifndef MEDIC_CSPAWN_H
#define MEDIC_CSPAWN_H

#include <spawn.h>

/// glibc's posix_spawn_file_actions_addclosefrom_np: closes every descriptor >= from in the
/// child, with no window in which another thread's new descriptor slips through. Swift's Glibc
/// module does not declare it (it needs _GNU_SOURCE), hence this shim.
int medic_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// glibc's posix_spawn_file_actions_addchdir_np: the child starts in path.
int medic_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC): both ends close on exec from the start, so no child spawned by
/// another thread meanwhile inherits them.
int medic_pipe_cloexec(int fds[2]);

#endif
