"""Model of config/scenarios.yaml (placeholder: being written)."""
from easymall.models.common import Document


class ScenariosDocument(Document):
    """config/scenarios.yaml."""
