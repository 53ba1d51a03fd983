"""Pydantic models for every workspace document, one module per document.

:data:`DOCUMENTS` maps a document name (the YAML file ``config/<name>.yaml``) to its model.
"""
from easymall.models.common import Document, LocalizedText, StrictModel, Text
from easymall.models.decks import DecksDocument
from easymall.models.market import MarketDocument
from easymall.models.marketing import MarketingDocument
from easymall.models.scenarios import ScenariosDocument
from easymall.models.stp import StpDocument
from easymall.models.survey import SurveyDocument
from easymall.models.swot import SwotDocument

DOCUMENTS: dict[str, type[Document]] = {
    "swot": SwotDocument,
    "stp": StpDocument,
    "marketing": MarketingDocument,
    "market": MarketDocument,
    "survey": SurveyDocument,
    "scenarios": ScenariosDocument,
    "decks": DecksDocument,
}

__all__ = ["DOCUMENTS", "Document", "LocalizedText", "StrictModel", "Text"]
