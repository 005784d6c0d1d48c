/*
 * Prints, for one CPython 3.13+ header set, where each _Py_DebugOffsets field the walker uses
 * sits inside the table ("pos") and, for 3.14+, the value CPython fills in for this build
 * ("value", from _Py_DebugOffsets_INIT). Feeds DebugOffsetsReader's per-minor positions.
 */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <stddef.h>
#include <stdio.h>
#include <internal/pycore_runtime.h>
#if PY_VERSION_HEX >= 0x030E0000
#include <internal/pycore_runtime_init.h>
static const _Py_DebugOffsets Table = _Py_DebugOffsets_INIT("xdebugpy");
#define F(group, field) printf("%s.%s %ld %ld\n", #group, #field, \
    (long)offsetof(_Py_DebugOffsets, group.field), (long)Table.group.field)
#else
#define F(group, field) printf("%s.%s %ld -\n", #group, #field, (long)offsetof(_Py_DebugOffsets, group.field))
#endif

int main(void)
{
    printf("version %s\n", PY_VERSION);
    printf("sizeof %ld\n", (long)sizeof(_Py_DebugOffsets));
    F(runtime_state, size);
    F(runtime_state, interpreters_head);
    F(interpreter_state, size);
    F(interpreter_state, next);
    F(interpreter_state, threads_head);
    F(interpreter_state, ceval_gil);
    F(interpreter_state, gil_runtime_state);
    F(interpreter_state, gil_runtime_state_enabled);
    F(interpreter_state, gil_runtime_state_locked);
    F(interpreter_state, gil_runtime_state_holder);
#if PY_VERSION_HEX >= 0x030E0000
    F(interpreter_state, code_object_generation);
    F(interpreter_state, tlbc_generation);
#endif
    F(thread_state, size);
    F(thread_state, next);
    F(thread_state, interp);
    F(thread_state, current_frame);
    F(thread_state, thread_id);
    F(thread_state, native_thread_id);
    F(thread_state, datastack_chunk);
    F(thread_state, status);
#if PY_VERSION_HEX >= 0x030F0000
    F(thread_state, holds_gil);
#endif
    F(interpreter_frame, size);
    F(interpreter_frame, previous);
    F(interpreter_frame, executable);
    F(interpreter_frame, instr_ptr);
    F(interpreter_frame, owner);
#if PY_VERSION_HEX >= 0x030E0000
    F(interpreter_frame, tlbc_index);
#endif
    F(code_object, size);
    F(code_object, filename);
    F(code_object, name);
    F(code_object, qualname);
    F(code_object, linetable);
    F(code_object, firstlineno);
    F(code_object, co_code_adaptive);
#if PY_VERSION_HEX >= 0x030E0000
    F(code_object, co_tlbc);
#endif
    F(pyobject, size);
    F(pyobject, ob_type);
    F(bytes_object, size);
    F(bytes_object, ob_size);
    F(bytes_object, ob_sval);
    F(unicode_object, size);
    F(unicode_object, state);
    F(unicode_object, length);
    F(unicode_object, asciiobject_size);
#if PY_VERSION_HEX >= 0x030F0000
    F(unicode_object, compactunicodeobject_size);
#endif
    return 0;
}
