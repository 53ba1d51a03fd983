"""Model of config/swot.yaml (placeholder: being written)."""
from easymall.models.common import Document


class SwotDocument(Document):
    """config/swot.yaml."""
