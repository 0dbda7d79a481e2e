from core.plugins import hookimpl


@hookimpl
def demo_data(college):
    # runs after testplugin's implementation, whatever the order of the PLUGINS list
    college.made["dependent_saw_testplugin"] = "testplugin_saw_staff" in college.made
