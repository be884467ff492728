/* zhili's native YAML reader: libyaml's parser, plain values built in C.
 *
 * parse(data, max_depth, max_entries, max_values) -> (value, None) or (None, reason)
 *
 * It builds exactly what zhili.loading.yamlread's pure-Python reader builds from the same events:
 * dict / list / str / None, every scalar the text as written, a plain empty scalar, `~` and `null` as
 * None, mapping keys interned. It never explains anything: at the first sign of what the Python reader
 * would refuse or look at again (a syntax error, an anchor, alias or tag, a duplicate, empty or merge
 * key, a key that is not text, too deep, too many entries or values, a second document, a multi-line
 * quoted text or [...] / {...} list, a lone `-`, the traps of Chinese input methods, an escape producing
 * an invisible character) it gives up and returns the reason; the caller then runs the Python reader on
 * the same bytes, so every diagnostic comes from one place. The tests run both readers over the same
 * corpus and require identical values and diagnostics.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <yaml.h>

typedef struct {
    PyObject *container; /* borrowed: held by its parent (or by root) */
    PyObject *key;       /* owned: the key waiting for its value, or NULL */
    int is_map;
    int flow;
    size_t line;
} Frame;

static int is_null(const unsigned char *v, size_t n)
{
    if (n == 0)
        return 1;
    if (n == 1)
        return v[0] == '~';
    if (n == 4)
        return memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 || memcmp(v, "NULL", 4) == 0;
    return 0;
}

/* the traps of Chinese input methods (yamlread._scalar_trap), generously: a value that might be one
   goes to the Python reader, which decides */
static int has_trap(const unsigned char *v, size_t n, int in_flow_seq)
{
    int colon = 0, comma = 0, any = 0;
    size_t i;
    for (i = 0; i + 3 <= n; i++) {
        if (v[i] == 0xEF && v[i + 1] == 0xBC) {
            if (v[i + 2] == 0x9A) { colon = 1; any = 1; }          /* ： */
            else if (v[i + 2] == 0x8C) { comma = 1; any = 1; }     /* ， */
            else if (v[i + 2] == 0x8D) any = 1;                    /* － */
        } else if (v[i] == 0xE3 && v[i + 1] == 0x80 && v[i + 2] == 0x80) {
            any = 1;                                               /* U+3000 */
        }
    }
    if (!any)
        return 0;
    if (in_flow_seq && comma)
        return 1;
    if (n >= 3 && ((v[0] == 0xE3 && v[1] == 0x80 && v[2] == 0x80) || (v[0] == 0xEF && v[1] == 0xBC && v[2] == 0x8D)))
        return 1;
    if (colon) {
        unsigned char c = v[0];
        /* `^\s*(?:-\s+)?[A-Za-z_]...：`: a first character that is a letter, `_`, `-` or any space */
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-' || c <= 0x20)
            return 1;
        if (c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3)
            return 1;
    }
    return 0;
}

/* characters an escape of a double-quoted text may produce that zhili refuses (textfile._BAD_ESCAPED) */
static int bad_escaped(const unsigned char *v, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = v[i];
        if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r')
                return 1;
        } else if (c == 0x7F) {
            return 1;
        } else if (c == 0xC2 && i + 1 < n && v[i + 1] >= 0x80 && v[i + 1] <= 0x9F) {
            return 1;
        } else if (c == 0xE2 && i + 2 < n) {
            unsigned char b = v[i + 1], d = v[i + 2];
            if (b == 0x80 && ((d >= 0x8B && d <= 0x8F) || (d >= 0xA8 && d <= 0xAE)))
                return 1;
            if (b == 0x81 && ((d >= 0xA0 && d <= 0xA4) || (d >= 0xA6 && d <= 0xA9)))
                return 1;
        } else if (c == 0xEF && i + 2 < n) {
            unsigned char b = v[i + 1], d = v[i + 2];
            if (b == 0xBF && ((d >= 0xB9 && d <= 0xBB) || d == 0xBE || d == 0xBF))
                return 1;
            if (b == 0xBB && d == 0xBF)
                return 1;
        }
    }
    return 0;
}

/* Values repeated across a large file (types, streets, years, 是/否) share one str object: the cache
   holds texts up to this many bytes. */
#define SHARED_MAX 48

static PyObject *py_parse(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer buf;
    int max_depth;
    long long max_entries, max_values;
    if (!PyArg_ParseTuple(args, "y*iLL", &buf, &max_depth, &max_entries, &max_values))
        return NULL;
    if (max_depth < 1)
        max_depth = 1;

    yaml_parser_t parser;
    yaml_event_t ev;
    Frame *stack = PyMem_Calloc((size_t)max_depth + 1, sizeof(Frame));
    PyObject *root = NULL, *shared = PyDict_New();
    const char *reason = NULL;
    int depth = 0, docs = 0, failed = 0, done = 0;
    long long entries = 0, values = 0;

    if (stack == NULL || shared == NULL) {
        PyMem_Free(stack);
        Py_XDECREF(shared);
        PyBuffer_Release(&buf);
        return PyErr_NoMemory();
    }
    if (!yaml_parser_initialize(&parser)) {
        PyMem_Free(stack);
        Py_DECREF(shared);
        PyBuffer_Release(&buf);
        return PyErr_NoMemory();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf.buf, (size_t)buf.len);

    while (!done && reason == NULL && !failed) {
        if (!yaml_parser_parse(&parser, &ev)) {
            reason = "syntax";
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                reason = "several documents";
            break;
        case YAML_ALIAS_EVENT:
            reason = "alias";
            break;
        case YAML_SCALAR_EVENT: {
            const unsigned char *v = ev.data.scalar.value;
            size_t n = ev.data.scalar.length;
            yaml_scalar_style_t st = ev.data.scalar.style;
            int multi = ev.start_mark.line != ev.end_mark.line;
            Frame *frame = depth ? &stack[depth - 1] : NULL;
            int is_key = frame != NULL && frame->is_map && frame->key == NULL;
            PyObject *obj;
            if (++values > max_values) { reason = "values"; break; }
            if (ev.data.scalar.anchor != NULL || ev.data.scalar.tag != NULL) { reason = "anchor or tag"; break; }
            if (st == YAML_PLAIN_SCALAR_STYLE) {
                if (is_null(v, n)) {
                    if (is_key) { reason = "empty key"; break; }
                    obj = Py_None;
                    Py_INCREF(obj);
                    goto place;
                }
                if (n == 1 && v[0] == '-') { reason = "lone -"; break; }
                if (has_trap(v, n, frame != NULL && !frame->is_map && frame->flow)) { reason = "trap"; break; }
            } else if (st == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
                if (multi) { reason = "multi-line quoted"; break; }
                if (bad_escaped(v, n)) { reason = "escaped character"; break; }
            } else if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE) {
                if (multi) { reason = "multi-line quoted"; break; }
            }
            if (is_key && n == 2 && v[0] == '<' && v[1] == '<') { reason = "merge key"; break; }
            obj = PyUnicode_DecodeUTF8((const char *)v, (Py_ssize_t)n, "strict");
            if (obj == NULL) { failed = 1; break; }
            if (is_key) {
                PyUnicode_InternInPlace(&obj);
            } else if (n <= SHARED_MAX) {
                PyObject *same = PyDict_SetDefault(shared, obj, obj);
                if (same == NULL) { Py_DECREF(obj); failed = 1; break; }
                Py_INCREF(same);
                Py_DECREF(obj);
                obj = same;
            }
        place:
            if (frame == NULL) {
                Py_XDECREF(root);
                root = obj;
            } else if (frame->is_map) {
                if (frame->key == NULL) {
                    int has = PyDict_Contains(frame->container, obj);
                    if (has != 0) {
                        Py_DECREF(obj);
                        if (has < 0) failed = 1; else reason = "duplicate key";
                        break;
                    }
                    frame->key = obj;
                } else {
                    int rc = PyDict_SetItem(frame->container, frame->key, obj);
                    Py_DECREF(obj);
                    Py_CLEAR(frame->key);
                    if (rc < 0) failed = 1;
                }
            } else {
                int rc = PyList_Append(frame->container, obj);
                Py_DECREF(obj);
                if (rc < 0) failed = 1;
            }
            break;
        }
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT: {
            int is_map = ev.type == YAML_MAPPING_START_EVENT;
            yaml_char_t *anchor = is_map ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
            yaml_char_t *tag = is_map ? ev.data.mapping_start.tag : ev.data.sequence_start.tag;
            int flow = is_map ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                              : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
            PyObject *obj;
            if (anchor != NULL || tag != NULL) { reason = "anchor or tag"; break; }
            if (depth >= max_depth) { reason = "too deep"; break; }
            if (++entries > max_entries) { reason = "entries"; break; }
            if (depth && stack[depth - 1].is_map && stack[depth - 1].key == NULL) { reason = "key not text"; break; }
            obj = is_map ? PyDict_New() : PyList_New(0);
            if (obj == NULL) { failed = 1; break; }
            if (depth == 0) {
                Py_XDECREF(root);
                root = obj;
            } else {
                Frame *parent = &stack[depth - 1];
                int rc;
                if (parent->is_map) {
                    rc = PyDict_SetItem(parent->container, parent->key, obj);
                    Py_CLEAR(parent->key);
                } else {
                    rc = PyList_Append(parent->container, obj);
                }
                Py_DECREF(obj); /* the parent holds it */
                if (rc < 0) { failed = 1; break; }
            }
            stack[depth].container = obj;
            stack[depth].key = NULL;
            stack[depth].is_map = is_map;
            stack[depth].flow = flow;
            stack[depth].line = ev.start_mark.line;
            depth++;
            break;
        }
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT: {
            Frame *frame;
            if (depth == 0) { reason = "unbalanced"; break; }
            frame = &stack[--depth];
            Py_CLEAR(frame->key);
            if (frame->flow && frame->line != ev.end_mark.line)
                reason = "multi-line flow collection";
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    while (depth > 0) {
        depth--; /* not inside Py_CLEAR: a macro evaluates its argument more than once */
        Py_CLEAR(stack[depth].key);
    }
    PyMem_Free(stack);
    Py_DECREF(shared);
    PyBuffer_Release(&buf);
    if (failed) {
        Py_XDECREF(root);
        return NULL;
    }
    if (reason == NULL && (root == NULL || root == Py_None))
        reason = "no data";
    if (reason != NULL) {
        Py_XDECREF(root);
        return Py_BuildValue("(Os)", Py_None, reason);
    }
    return Py_BuildValue("(NO)", root, Py_None);
}

/* plain_text(data) -> bool: True when the bytes hold none of what zhili.loading.textfile.check_text
   looks for (control and invisible characters, a lone CR, a BOM after the start, tabs, a line longer
   than the limit, merge-conflict markers), so that check can be skipped. Generous: any tab, any line
   longer than `max_line` bytes (a character is at least one byte) makes it False. */
static PyObject *py_plain_text(PyObject *self, PyObject *args)
{
    Py_buffer buf;
    Py_ssize_t max_line;
    const unsigned char *v;
    size_t n, i, line_start = 0;
    int plain = 1;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*n", &buf, &max_line))
        return NULL;
    v = (const unsigned char *)buf.buf;
    n = (size_t)buf.len;
    for (i = 0; i < n && plain; i++) {
        unsigned char c = v[i];
        if (c < 0x80) {
            if (c == '\n') {
                if ((Py_ssize_t)(i - line_start) > max_line)
                    plain = 0;
                line_start = i + 1;
            } else if (c == '\r') {
                if (i + 1 >= n || v[i + 1] != '\n')
                    plain = 0;
            } else if (c < 0x20 || c == 0x7F) {
                plain = 0;
            } else if ((c == '<' || c == '>') && i + 7 <= n && memcmp(v + i, c == '<' ? "<<<<<<<" : ">>>>>>>", 7) == 0) {
                plain = 0;
            }
        } else if (c == 0xC2) {
            if (i + 1 < n && v[i + 1] >= 0x80 && v[i + 1] <= 0x9F)
                plain = 0;
        } else if (c == 0xE2) {
            if (i + 2 < n) {
                unsigned char b = v[i + 1], d = v[i + 2];
                if (b == 0x80 && ((d >= 0x8B && d <= 0x8F) || (d >= 0xA8 && d <= 0xAE)))
                    plain = 0;
                if (b == 0x81 && ((d >= 0xA0 && d <= 0xA4) || (d >= 0xA6 && d <= 0xA9)))
                    plain = 0;
            }
        } else if (c == 0xEF) {
            if (i + 2 < n) {
                unsigned char b = v[i + 1], d = v[i + 2];
                if (b == 0xBF && ((d >= 0xB9 && d <= 0xBB) || d == 0xBE || d == 0xBF))
                    plain = 0;
                if (b == 0xBB && d == 0xBF && i > 0)
                    plain = 0;
            }
        }
    }
    if (plain && (Py_ssize_t)(n - line_start) > max_line)
        plain = 0;
    PyBuffer_Release(&buf);
    return PyBool_FromLong(plain);
}

/* The light records (zhili.model.records.Light) of validated pydantic instances, for zhili.loading.lighten:
   what its generated Python converters do, without a Python call per entry.

   records(models, spec, with_extra, fallback) -> list. `spec` describes one model:
   (model, record, offsets, fields, empties, deeps, variants). For each instance of `model`: a new
   `record` whose slot at offsets[i] (from slot_offsets) holds the instance's value of fields[i]; a value
   that is empty (false) becomes empties[i] when that is not None (one shared empty list or dict); else,
   when deeps[i] is a spec, a list value becomes the records of its entries (a plan's targets), and when
   it is a callable the value goes through it. `variants` is None for a model without extra fields; else
   an instance with extra fields is made as the class variants[names] (or with_extra(record, names)),
   which holds them as attributes, and stays the instance itself when that is None. Anything that is not
   an instance of `model` goes through `fallback`. */

static PyObject *str_dict, *str_extra;

static int spec_parts(PyObject *spec, PyObject **model, PyTypeObject **record, PyObject **offsets, PyObject **fields,
                      PyObject **empties, PyObject **deeps, PyObject **variants)
{
    Py_ssize_t n, j;
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 7)
        goto bad;
    *model = PyTuple_GET_ITEM(spec, 0);
    *record = (PyTypeObject *)PyTuple_GET_ITEM(spec, 1);
    *offsets = PyTuple_GET_ITEM(spec, 2);
    *fields = PyTuple_GET_ITEM(spec, 3);
    *empties = PyTuple_GET_ITEM(spec, 4);
    *deeps = PyTuple_GET_ITEM(spec, 5);
    *variants = PyTuple_GET_ITEM(spec, 6);
    if (!PyType_Check((PyObject *)*record) || !PyTuple_Check(*offsets) || !PyTuple_Check(*fields)
        || !PyTuple_Check(*empties) || !PyTuple_Check(*deeps) || (*variants != Py_None && !PyDict_Check(*variants)))
        goto bad;
    n = PyTuple_GET_SIZE(*fields);
    if (PyTuple_GET_SIZE(*offsets) != n || PyTuple_GET_SIZE(*empties) != n || PyTuple_GET_SIZE(*deeps) != n)
        goto bad;
    for (j = 0; j < n; j++) { /* never write outside a record: each offset is a slot inside the object */
        PyObject *o = PyTuple_GET_ITEM(*offsets, j);
        Py_ssize_t off;
        if (!PyLong_Check(o))
            goto bad;
        off = PyLong_AsSsize_t(o);
        if (off < (Py_ssize_t)sizeof(PyObject) || off + (Py_ssize_t)sizeof(PyObject *) > (*record)->tp_basicsize)
            goto bad;
    }
    return 0;
bad:
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "not a record spec");
    return -1;
}

static PyObject *convert(PyObject *models, PyObject *spec, PyObject *with_extra, PyObject *fallback, int depth)
{
    PyObject *model, *offsets, *fields, *empties, *deeps, *variants, *out;
    PyTypeObject *record;
    Py_ssize_t nfields, n, i, j;
    if (depth > 32) {
        PyErr_SetString(PyExc_RecursionError, "records nested too deeply");
        return NULL;
    }
    if (spec_parts(spec, &model, &record, &offsets, &fields, &empties, &deeps, &variants) < 0)
        return NULL;
    nfields = PyTuple_GET_SIZE(fields);
    n = PyList_GET_SIZE(models);
    out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (i = 0; i < n && i < PyList_GET_SIZE(models); i++) {
        PyObject *m = PyList_GET_ITEM(models, i);
        PyObject *d, *rec, *extra = NULL;
        PyTypeObject *cls = record;
        if ((PyObject *)Py_TYPE(m) != model) {
            rec = PyObject_CallOneArg(fallback, m);
            if (rec == NULL)
                goto fail;
            PyList_SET_ITEM(out, i, rec);
            continue;
        }
        if (variants != Py_None) {
            extra = PyObject_GetAttr(m, str_extra);
            if (extra == NULL)
                goto fail;
            if (PyDict_Check(extra) && PyDict_GET_SIZE(extra) > 0) {
                PyObject *names = PySequence_Tuple(extra), *found;
                if (names == NULL) {
                    Py_DECREF(extra);
                    goto fail;
                }
                found = PyDict_GetItemWithError(variants, names); /* borrowed */
                if (found != NULL)
                    Py_INCREF(found);
                else if (!PyErr_Occurred())
                    found = PyObject_CallFunctionObjArgs(with_extra, (PyObject *)record, names, NULL);
                Py_DECREF(names);
                if (found == NULL) {
                    Py_DECREF(extra);
                    goto fail;
                }
                if (found == Py_None) { /* a name that would hide a field or a method: keep the instance */
                    Py_DECREF(found);
                    Py_DECREF(extra);
                    Py_INCREF(m);
                    PyList_SET_ITEM(out, i, m);
                    continue;
                }
                if (!PyType_Check(found) || !PyType_IsSubtype((PyTypeObject *)found, record)
                    || ((PyTypeObject *)found)->tp_basicsize < record->tp_basicsize) {
                    Py_DECREF(found);
                    Py_DECREF(extra);
                    PyErr_SetString(PyExc_TypeError, "a variant is not a subclass of the record class");
                    goto fail;
                }
                cls = (PyTypeObject *)found; /* owned until the record is made */
            } else {
                Py_CLEAR(extra);
            }
        }
        d = PyObject_GetAttr(m, str_dict);
        if (d == NULL || !PyDict_Check(d)) {
            if (d != NULL)
                PyErr_SetString(PyExc_TypeError, "an instance without a __dict__");
            Py_XDECREF(d);
            Py_XDECREF(extra);
            if (cls != record)
                Py_DECREF(cls);
            goto fail;
        }
        rec = cls->tp_alloc(cls, 0);
        if (cls != record)
            Py_DECREF(cls); /* the record holds its class */
        if (rec == NULL) {
            Py_DECREF(d);
            Py_XDECREF(extra);
            goto fail;
        }
        PyList_SET_ITEM(out, i, rec); /* the list owns it: freed with the list on failure */
        for (j = 0; j < nfields; j++) {
            PyObject *v = PyDict_GetItemWithError(d, PyTuple_GET_ITEM(fields, j)); /* borrowed */
            PyObject *empty = PyTuple_GET_ITEM(empties, j), *deep = PyTuple_GET_ITEM(deeps, j);
            PyObject **slot = (PyObject **)((char *)rec + PyLong_AsSsize_t(PyTuple_GET_ITEM(offsets, j)));
            int truth = 1;
            if (v == NULL) {
                if (!PyErr_Occurred())
                    PyErr_SetObject(PyExc_KeyError, PyTuple_GET_ITEM(fields, j));
                Py_DECREF(d);
                Py_XDECREF(extra);
                goto fail;
            }
            if (empty != Py_None && (truth = PyObject_IsTrue(v)) < 0) {
                Py_DECREF(d);
                Py_XDECREF(extra);
                goto fail;
            }
            if (!truth) {
                Py_INCREF(empty);
                v = empty;
            } else if (deep == Py_None) {
                Py_INCREF(v);
            } else if (PyTuple_Check(deep)) {
                v = PyList_CheckExact(v) ? convert(v, deep, with_extra, fallback, depth + 1) : PyObject_CallOneArg(fallback, v);
            } else {
                v = PyObject_CallOneArg(deep, v);
            }
            if (v == NULL) {
                Py_DECREF(d);
                Py_XDECREF(extra);
                goto fail;
            }
            Py_XSETREF(*slot, v);
        }
        Py_DECREF(d);
        if (extra != NULL) { /* the extra fields, as attributes (slots of the variant, or its __dict__) */
            PyObject *key, *value;
            Py_ssize_t pos = 0;
            while (PyDict_Next(extra, &pos, &key, &value)) {
                if (PyObject_SetAttr(rec, key, value) < 0) {
                    Py_DECREF(extra);
                    goto fail;
                }
            }
            Py_DECREF(extra);
        }
    }
    if (i != n) { /* the list changed under us (a fallback that edits it): refuse */
        PyErr_SetString(PyExc_RuntimeError, "the list of models changed while its records were made");
        goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static PyObject *py_records(PyObject *self, PyObject *args)
{
    PyObject *models, *spec, *with_extra, *fallback;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!OOO", &PyList_Type, &models, &spec, &with_extra, &fallback))
        return NULL;
    return convert(models, spec, with_extra, fallback, 0);
}

/* slot_offsets(record, fields) -> the offset of each field's slot in a record (for a records() spec) */
static PyObject *py_slot_offsets(PyObject *self, PyObject *args)
{
    PyObject *record, *fields, *out;
    Py_ssize_t j, n;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &record, &PyTuple_Type, &fields))
        return NULL;
    n = PyTuple_GET_SIZE(fields);
    out = PyTuple_New(n);
    if (out == NULL)
        return NULL;
    for (j = 0; j < n; j++) {
        PyObject *descr = PyObject_GetAttr(record, PyTuple_GET_ITEM(fields, j)), *off;
        if (descr == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        if (!Py_IS_TYPE(descr, &PyMemberDescr_Type) || ((PyMemberDescrObject *)descr)->d_member->type != T_OBJECT_EX
            || ((PyMemberDescrObject *)descr)->d_common.d_type != (PyTypeObject *)record) {
            Py_DECREF(descr);
            Py_DECREF(out);
            PyErr_SetString(PyExc_TypeError, "a field of the record class is not one of its slots");
            return NULL;
        }
        off = PyLong_FromSsize_t(((PyMemberDescrObject *)descr)->d_member->offset);
        Py_DECREF(descr);
        if (off == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, j, off);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"plain_text", py_plain_text, METH_VARARGS,
     "plain_text(data, max_line) -> True when check_text would find nothing in these bytes (generously)."},
    {"records", py_records, METH_VARARGS,
     "records(models, spec, with_extra, fallback) -> the light records of validated pydantic instances "
     "(zhili.loading.lighten)."},
    {"slot_offsets", py_slot_offsets, METH_VARARGS,
     "slot_offsets(record, fields) -> where each field's slot lies in a record of that class."},
    {"parse", py_parse, METH_VARARGS,
     "parse(data, max_depth, max_entries, max_values) -> (value, None), or (None, reason) when the "
     "pure-Python reader must read the bytes (to refuse or to look again)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_yamlfast",
    "zhili's native YAML reader over libyaml (see zhili.loading.yamlread).", -1, methods,
};

PyMODINIT_FUNC PyInit__yamlfast(void)
{
    PyObject *m;
    str_dict = PyUnicode_InternFromString("__dict__");
    str_extra = PyUnicode_InternFromString("__pydantic_extra__");
    if (str_dict == NULL || str_extra == NULL)
        return NULL;
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "libyaml_version", yaml_get_version_string()) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
