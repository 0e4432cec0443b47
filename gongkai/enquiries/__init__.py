"""留言咨询 (enquiries): see docs/participation.md."""
