"""SCORM 1.2 packages of Askwell's modules, for learning management systems that cannot
link to Askwell: the export page, its download, and ``askwell export scorm``."""
