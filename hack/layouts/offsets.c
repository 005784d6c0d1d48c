/*
 * Prints the offsets and sizes of the CPython structures the Pyrometer stack walker reads,
 * compiled against one interpreter's headers (see print-layouts.sh). The output is
 * "name value" lines, compared by hand and by tests/.../Python/KnownLayoutsTests with
 * agent/Pyrometer.Sampling/Python/KnownLayouts.cs.
 */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <frameobject.h>
#include <stddef.h>
#include <stdio.h>

#if PY_VERSION_HEX >= 0x030B0000
#include <internal/pycore_frame.h>
#endif
#include <internal/pycore_pystate.h>
#if PY_VERSION_HEX >= 0x03090000
#include <internal/pycore_interp.h>
#include <internal/pycore_runtime.h>
#endif
#if PY_VERSION_HEX < 0x030C0000
#include <internal/pycore_gil.h>
#endif

#define P(name, value) printf("%s %ld\n", name, (long)(value))
#define OFF(name, type, field) P(name, offsetof(type, field))

int main(void)
{
    printf("version %s\n", PY_VERSION);
    P("runtime.size", sizeof(_PyRuntimeState));
    OFF("runtime.interpreters_head", _PyRuntimeState, interpreters.head);
#if PY_VERSION_HEX < 0x030C0000
    OFF("runtime.gilstate_tstate_current", _PyRuntimeState, gilstate.tstate_current);
    OFF("runtime.gil_last_holder", _PyRuntimeState, ceval.gil.last_holder);
    OFF("runtime.gil_locked", _PyRuntimeState, ceval.gil.locked);
#endif

    P("interp.size", sizeof(PyInterpreterState));
    OFF("interp.next", PyInterpreterState, next);
#if PY_VERSION_HEX < 0x030B0000
    OFF("interp.threads_head", PyInterpreterState, tstate_head);
#else
    OFF("interp.threads_head", PyInterpreterState, threads.head);
#endif
#if PY_VERSION_HEX >= 0x030C0000
    OFF("interp.ceval_gil", PyInterpreterState, ceval.gil);
    P("gil.last_holder", offsetof(struct _gil_runtime_state, last_holder));
    P("gil.locked", offsetof(struct _gil_runtime_state, locked));
#endif

    P("tstate.size", sizeof(PyThreadState));
    OFF("tstate.next", PyThreadState, next);
    OFF("tstate.interp", PyThreadState, interp);
#if PY_VERSION_HEX < 0x030B0000
    OFF("tstate.frame", PyThreadState, frame);
#elif PY_VERSION_HEX < 0x030D0000
    OFF("tstate.cframe", PyThreadState, cframe);
    P("cframe.current_frame", offsetof(_PyCFrame, current_frame));
#else
    OFF("tstate.current_frame", PyThreadState, current_frame);
#endif
    OFF("tstate.thread_id", PyThreadState, thread_id);
#if PY_VERSION_HEX >= 0x030B0000
    OFF("tstate.native_thread_id", PyThreadState, native_thread_id);
    OFF("tstate.datastack_chunk", PyThreadState, datastack_chunk);
    P("chunk.previous", offsetof(_PyStackChunk, previous));
    P("chunk.size", offsetof(_PyStackChunk, size));
    P("chunk.top", offsetof(_PyStackChunk, top));
    P("chunk.data", offsetof(_PyStackChunk, data));
#endif

#if PY_VERSION_HEX < 0x030B0000
    P("frame.size", sizeof(PyFrameObject));
    OFF("frame.back", PyFrameObject, f_back);
    OFF("frame.code", PyFrameObject, f_code);
    OFF("frame.lasti", PyFrameObject, f_lasti);
#else
    P("frame.size", sizeof(_PyInterpreterFrame));
    OFF("frame.previous", _PyInterpreterFrame, previous);
#if PY_VERSION_HEX < 0x030D0000
    OFF("frame.code", _PyInterpreterFrame, f_code);
    OFF("frame.instr", _PyInterpreterFrame, prev_instr);
#else
    OFF("frame.code", _PyInterpreterFrame, f_executable);
    OFF("frame.instr", _PyInterpreterFrame, instr_ptr);
#endif
    OFF("frame.owner", _PyInterpreterFrame, owner);
#endif

    P("code.size", sizeof(PyCodeObject));
    OFF("code.firstlineno", PyCodeObject, co_firstlineno);
    OFF("code.filename", PyCodeObject, co_filename);
    OFF("code.name", PyCodeObject, co_name);
#if PY_VERSION_HEX >= 0x030B0000
    OFF("code.qualname", PyCodeObject, co_qualname);
    OFF("code.code_adaptive", PyCodeObject, co_code_adaptive);
#else
    OFF("code.code", PyCodeObject, co_code);
#endif
#if PY_VERSION_HEX >= 0x030A0000
    OFF("code.linetable", PyCodeObject, co_linetable);
#else
    OFF("code.linetable", PyCodeObject, co_lnotab);
#endif

    OFF("object.type", PyObject, ob_type);
    OFF("varobject.size", PyVarObject, ob_size);
    OFF("bytes.size", PyBytesObject, ob_base.ob_size);
    OFF("bytes.data", PyBytesObject, ob_sval);
    OFF("unicode.length", PyASCIIObject, length);
    OFF("unicode.state", PyASCIIObject, state);
    P("unicode.ascii_size", sizeof(PyASCIIObject));
    P("unicode.compact_size", sizeof(PyCompactUnicodeObject));

#if PY_VERSION_HEX < 0x030B0000
    OFF("gen.frame", PyGenObject, gi_frame);
#endif
    return 0;
}
