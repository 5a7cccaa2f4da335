"""LTI 1.3: Askwell as a tool that learning platforms (Moodle, Canvas, …) launch."""
