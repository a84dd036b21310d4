"""Context flags for lead_energy's internal flows that no client can forge.

A client may send any context key over RPC, but only with JSON/XML values. The
module's own flows set their key to ``_INTERNAL``, an object created when this
module is imported, and the checks compare by identity (``is``): no value a
client sends can be this object, so a client-supplied key unlocks nothing.
"""

_INTERNAL = object()

# The module writes fields only it maintains (lead numbers, state dates, the
# appointment's link, reminder and mail dates): see models/crm_lead.py.
MAINTAINED = "lead_energy_maintained_fields"


def internal_context(*flows):
    """The context that marks ``flows`` as running, for ``with_context``."""
    return dict.fromkeys(flows, _INTERNAL)


def in_internal_flow(env, flow):
    """Whether the module itself started ``flow`` in this environment."""
    return env.context.get(flow) is _INTERNAL
