"""意见征集 (consultations): see docs/participation.md."""
