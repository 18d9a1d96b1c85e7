// Anchors the fakes library; each stand-in lives in its own file beside this one.
namespace incident_bot::fakes {
int fakes_library_anchor = 0;
}
