"""Access: who may edit and who may only look.

Pure functions and models, no I/O (the store reads ``config/access.yaml`` and keeps the lockout
state; :class:`easymall.store.Workspace` checks roles on every write):

* :mod:`.passwords` — salted scrypt hashes (``hashlib.scrypt``), constant-time comparison;
* :mod:`.lockout` — lockout after repeated wrong passwords, and its expiry;
* :mod:`.roles` — viewer / editor / admin and the least role each action needs;
* :mod:`.model` — the ``access.yaml`` model (``extra="forbid"``);
* :mod:`.errors` — :class:`AccessDenied` (a ``PermissionError``) and :class:`LoginError`.
"""
from easymall.access.errors import AccessDenied, LoginError
from easymall.access.lockout import Policy
from easymall.access.model import MODES, AccessDocument, AccessUser, Mode
from easymall.access.passwords import hash_password, is_hash, verify_password
from easymall.access.roles import ACTIONS, NEEDS, ROLES, Role, allows

__all__ = ["ACTIONS", "MODES", "NEEDS", "ROLES", "AccessDenied", "AccessDocument", "AccessUser", "LoginError", "Mode",
           "Policy", "Role", "allows", "hash_password", "is_hash", "verify_password"]
