// The one translation unit that compiles Asio, Beast and Asio's OpenSSL glue.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
