# How `make mutate` builds a mutant in its scratch tree: the normal build, except that the
# warnings a mutation causes by itself are not errors. Dropping `err = f();` leaves err
# unset, dropping the only call leaves a static function unused: the mutant is a real bug
# and must be tested, not set aside as a build failure. Every other warning stays an error.
# They go in OBJ_CFLAGS, which the Makefile leaves out of its record of the flags: they
# change no code, so building a mutant after the clean kernel recompiles only the mutant.
include Makefile
OBJ_CFLAGS += -Wno-error=unused-variable -Wno-error=unused-but-set-variable \
	-Wno-error=unused-function -Wno-error=unused-label -Wno-error=unused-value \
	-Wno-error=maybe-uninitialized -Wno-error=uninitialized \
	-Wno-error=empty-body -Wno-error=misleading-indentation -Wno-error=parentheses
