"""Model of config/stp.yaml (placeholder: being written)."""
from easymall.models.common import Document


class StpDocument(Document):
    """config/stp.yaml."""
