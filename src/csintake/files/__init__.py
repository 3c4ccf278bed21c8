"""Reading and writing csintake's own files: positioned YAML, located problems, atomic writes, file
identity.
"""
