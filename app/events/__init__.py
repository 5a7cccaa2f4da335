"""The learning-event stream: one record of what learners did, delivered to other systems."""
