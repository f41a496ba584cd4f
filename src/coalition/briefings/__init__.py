"""Briefings: the daily report and the summit pack, built for one reader from what they may see."""
