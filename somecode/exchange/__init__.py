"""Exchange with other tools: REFI-QDA codebooks (.qdc) and the code trees of projects (.qdpx/.qde)."""

from .qdc import codebook_from_qdpx, parse_qdc, read_qdc, to_qdc, write_qdc

__all__ = ["to_qdc", "write_qdc", "parse_qdc", "read_qdc", "codebook_from_qdpx"]
