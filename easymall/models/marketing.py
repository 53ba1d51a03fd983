"""Model of config/marketing.yaml (placeholder: being written)."""
from easymall.models.common import Document


class MarketingDocument(Document):
    """config/marketing.yaml."""
