"""Sanctions: authorities' lists, their dated snapshots, and the FollowTheMoney entities."""
